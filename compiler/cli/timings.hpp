// Where a compile's time goes: `packdbc compile --timings` prints, on stderr, the wall time of
// each pass and the peak resident memory so far. For bench/ and docs/performance.md; the
// generated files never contain a time.
#pragma once
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace packdb::cli {

class Timings {
 public:
  void enable() { on_ = true, last_ = start_ = Clock::now(); }
  bool enabled() const { return on_; }

  // The time since the previous mark (or since enable()) is `pass`'s.
  void mark(const char* pass) {
    if (!on_) return;
    auto now = Clock::now();
    passes_.push_back({pass, std::chrono::duration<double, std::milli>(now - last_).count(), peak_rss_mb()});
    last_ = now;
  }

  // The time since enable(), for work on another thread: noted, and printed after the passes.
  double elapsed_ms() const { return on_ ? std::chrono::duration<double, std::milli>(Clock::now() - start_).count() : 0; }
  void note(const char* what, double at_ms) {
    if (on_) notes_.push_back({what, at_ms});
  }

  void print() const {
    if (!on_) return;
    std::fprintf(stderr, "timings (wall ms, peak RSS MB after the pass):\n");
    for (const auto& p : passes_) std::fprintf(stderr, "  %-22s %9.1f  %7.1f\n", p.name.c_str(), p.ms, p.rss_mb);
    std::fprintf(stderr, "  %-22s %9.1f\n", "total",
                 std::chrono::duration<double, std::milli>(last_ - start_).count());
    for (const auto& n : notes_) std::fprintf(stderr, "  %s at %.1f ms\n", n.what.c_str(), n.at_ms);
  }

 private:
  using Clock = std::chrono::steady_clock;
  struct Pass {
    std::string name;
    double ms;
    double rss_mb;
  };
  static double peak_rss_mb() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_maxrss) / 1024.0;  // Linux: kilobytes
  }
  bool on_ = false;
  Clock::time_point start_, last_;
  struct Note {
    std::string what;
    double at_ms;
  };
  std::vector<Pass> passes_;
  std::vector<Note> notes_;
};

}  // namespace packdb::cli

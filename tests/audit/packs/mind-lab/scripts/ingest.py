"""Turns interview transcripts into a mind: analysis, knowledge chunks, state."""
import glob
import json
import os
from pathlib import Path

import yaml

SOURCES = "sources/interviews"
OUT_DIR = os.environ.get("MMOS_OUT_DIR", "outputs/minds")
STATE_FILE = Path(".state") / "state.json"


def load_config():
    with open("config/mind-config.yaml") as f:
        return yaml.safe_load(f)


def save_state(status):
    state = {"status": status}
    state["status"] = "in_progress"
    with open(STATE_FILE, "w") as f:
        json.dump(state, f)


def run(slug):
    save_state("pending")
    transcripts = [Path(p).read_text() for p in glob.glob(f"{SOURCES}/*.md")]
    analysis_dir = os.path.join(OUT_DIR, slug, "analysis")
    os.makedirs(analysis_dir, exist_ok=True)
    with open(os.path.join(analysis_dir, "cognitive-model.yaml"), "w") as f:
        yaml.safe_dump({"chunks": len(transcripts)}, f)
    kb = Path(OUT_DIR) / slug / "kb" / f"{slug}-chunks.json"
    kb.write_text(json.dumps(transcripts))
    state = {}
    state["status"] = "completed"
    if not transcripts:
        state["status"] = "failed"

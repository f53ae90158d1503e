# packdb_generate(TARGET tgt SPEC spec OUTPUT_DIR dir [PACK name] [DATE YYYY-MM-DD])
#
# Compiles a .packdb spec at build time with `packdbc compile`, in the style of
# protobuf_generate():
#
#   TARGET      the target the generation belongs to. If it exists (an executable, a library,
#               a custom target), it is made to depend on the generation; if not, a custom
#               target of that name is created and built by `all`.
#   SPEC        the .packdb file (relative to CMAKE_CURRENT_SOURCE_DIR).
#   OUTPUT_DIR  where the migrations, rollbacks, tests and docs go (relative to
#               CMAKE_CURRENT_BINARY_DIR).
#   PACK        a name for this generation step: it names the stamp and depfile
#               (<binary dir>/packdb/<PACK>.stamp, .d). Default: the spec's file name without
#               its extension. Use one PACK per call when a folder compiles several specs.
#   DATE        passed as --date: the date in the migration versions, unless the spec has its
#               own `date` (see docs/cli.md, "Dates and reproducible output").
#
# Dependencies come from packdbc's depfile (`--depfile`): the spec, every file it imports,
# and the packdbc executable (which holds the stdlib). Touching an imported file regenerates;
# touching nothing regenerates nothing. packdbc rewrites only the files whose content changed,
# so their modification times stay and whatever consumes them stays up to date too.
#
# Sets <TARGET>_PACKDB_OUTPUT_DIR in the caller's scope to the absolute output folder.

if(POLICY CMP0116)
  cmake_policy(PUSH)
  cmake_policy(SET CMP0116 NEW)  # DEPFILE paths relative to the current binary dir
  set(_packdb_pop_policy TRUE)
endif()

function(packdb_generate)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "TARGET;SPEC;OUTPUT_DIR;PACK;DATE" "")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "packdb_generate: unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  foreach(required IN ITEMS TARGET SPEC OUTPUT_DIR)
    if(NOT arg_${required})
      message(FATAL_ERROR "packdb_generate: ${required} is required "
                          "(packdb_generate(TARGET tgt SPEC spec OUTPUT_DIR dir [PACK name]))")
    endif()
  endforeach()
  if(NOT TARGET packdbc::packdbc)
    message(FATAL_ERROR "packdb_generate: the target packdbc::packdbc is missing; call find_package(packdbc) first")
  endif()

  get_filename_component(spec "${arg_SPEC}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  get_filename_component(out "${arg_OUTPUT_DIR}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  if(arg_PACK)
    set(pack "${arg_PACK}")
  else()
    get_filename_component(pack "${spec}" NAME_WE)
  endif()
  set(stamp "${CMAKE_CURRENT_BINARY_DIR}/packdb/${pack}.stamp")
  set(depfile "${CMAKE_CURRENT_BINARY_DIR}/packdb/${pack}.d")
  set(date_args "")
  if(arg_DATE)
    set(date_args --date "${arg_DATE}")
  endif()

  # The depfile's one target is the stamp (Ninja wants one target per depfile rule; the
  # migration file names are only known once the spec is planned). packdbc writes only what
  # changed; the stamp records that the outputs are up to date.
  add_custom_command(
    OUTPUT "${stamp}"
    COMMAND packdbc::packdbc compile "${spec}" -o "${out}" --quiet ${date_args}
            --depfile "${depfile}" --depfile-target "${stamp}"
    COMMAND "${CMAKE_COMMAND}" -E touch "${stamp}"
    DEPENDS "${spec}" packdbc::packdbc
    DEPFILE "${depfile}"
    WORKING_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}"
    COMMENT "packdbc: compiling ${arg_SPEC} into ${arg_OUTPUT_DIR}"
    VERBATIM)

  if(TARGET ${arg_TARGET})
    add_custom_target(${arg_TARGET}_packdb_${pack} DEPENDS "${stamp}")
    add_dependencies(${arg_TARGET} ${arg_TARGET}_packdb_${pack})
  else()
    add_custom_target(${arg_TARGET} ALL DEPENDS "${stamp}")
  endif()
  set(${arg_TARGET}_PACKDB_OUTPUT_DIR "${out}" PARENT_SCOPE)
endfunction()

if(_packdb_pop_policy)
  cmake_policy(POP)
  unset(_packdb_pop_policy)
endif()

" Used by tests/editors/vim_check.sh: opens each file named in $PACKDB_VIM_FILES (one a line)
" with editors/vim on the runtimepath, highlights all of it, and writes to $PACKDB_VIM_DUMP,
" for each file, a line
"   FILE <tab> path <tab> &filetype <tab> b:current_syntax <tab> error message (if any)
" and then, for the samples in tests/editors/ only, each line's number and the syntax group at
" each of its bytes ('-': none).
let s:out = []
for s:f in split($PACKDB_VIM_FILES, "\n")
  let v:errmsg = ''
  let s:err = ''
  let s:lines = []
  try
    execute 'edit' fnameescape(s:f)
    let s:sample = s:f =~# '/tests/editors/[^/]*$'
    for s:l in range(1, line('$'))
      let s:last = col([s:l, '$']) - 1
      if !s:sample
        " every line is highlighted (and every pattern run), even when not dumped
        call synID(s:l, max([s:last, 1]), 1)
        continue
      endif
      let s:groups = []
      for s:c in range(1, s:last)
        let s:name = synIDattr(synID(s:l, s:c, 1), 'name')
        call add(s:groups, s:name ==# '' ? '-' : s:name)
      endfor
      call add(s:lines, s:l . "\t" . join(s:groups, ' '))
    endfor
  catch
    let s:err = v:exception
  endtry
  if s:err ==# ''
    let s:err = v:errmsg
  endif
  call add(s:out, join(['FILE', s:f, &filetype, get(b:, 'current_syntax', ''), s:err], "\t"))
  call extend(s:out, s:lines)
  bwipeout!
endfor
call writefile(s:out, $PACKDB_VIM_DUMP)
qall!

" packdb specs: *.packdb
autocmd BufRead,BufNewFile *.packdb setfiletype packdb

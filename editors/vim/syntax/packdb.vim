" Vim syntax file
" Language:   packdb — the spec language that packdbc compiles into Supabase/PostgreSQL migrations
" Filenames:  *.packdb (editors/vim/ftdetect/packdb.vim)
"
" The packdbKw* groups hold exactly the keywords of grammar/packdb.hpp (every PACKDB_KW and
" TAO_PEGTL_KEYWORD), and packdbType exactly the built-in types of compiler/check/types.cpp:
" tests/editors/keywords_agree.js checks both, and tests/editors/vim_check.sh that each is
" highlighted in the sample files.

if exists('b:current_syntax')
  finish
endif
let s:cpo_save = &cpo
set cpo&vim

syn case match
syn iskeyword @,48-57,_,192-255
" Files are small and blocks span lines: always parse from the top.
syn sync fromstart

" ---- comments, strings, numbers, parameters, operators
syn keyword packdbTodo         TODO FIXME XXX NOTE contained
syn match   packdbLineComment  "//.*$" contains=packdbTodo,@Spell
syn region  packdbBlockComment start="/\*" end="\*/" contains=packdbTodo,@Spell
syn cluster packdbComments     contains=packdbLineComment,packdbBlockComment

" A string ends at its quote or, unterminated, at the end of the line (as in the parser).
syn region  packdbString       start=+"+ skip=+\\.+ end=+"+ end=+$+ contains=packdbEscape
syn match   packdbEscape       +\\.+ contained
syn region  packdbString       start=+'+ skip=+''+ end=+'+ end=+$+ contains=packdbQuoteEscape
syn match   packdbQuoteEscape  +''+ contained

syn match   packdbNumber       "\%(\w\|\.\)\@<!-\=\d\+\%(\.\d\+\)\=\>"
syn match   packdbParam        "\$\h\w*"
syn match   packdbOperator     "->\|<-\|!=\|<>\|<=\|>=\|[=<>]"
syn match   packdbArray        "\[\s*\]"
syn match   packdbNullable     "?"
syn match   packdbColon        ":" nextgroup=packdbTypeName skipwhite
" `table.column`: the column is a name, even when it is spelled like a keyword (`minds.version`)
syn match   packdbMember       "\.\h\w*"

" ---- keywords: exactly grammar/packdb.hpp's
" Declarations; the name that follows is the declared name (`need search "…"`: `search` is a name).
syn keyword packdbKwDecl        pack profile import need input output state enum table mixin query search view seed nextgroup=packdbDeclName skipwhite skipempty
syn keyword packdbKwDecl        extend
" `allow drop table t`, `allow drop column t.c`, `allow drop value e.v`, `allow change type t.c`.
syn keyword packdbKwDecl        allow nextgroup=packdbKwOther skipwhite skipempty
syn keyword packdbKwOperator    and or not is in
syn keyword packdbKwBoolean     true false
syn keyword packdbKwNull        null
syn keyword packdbKwMe          me
syn keyword packdbKwAccess      owner inherited public read authenticated service only
syn keyword packdbKwMethod      btree hash gin gist brin hnsw ivfflat
syn keyword packdbKwMetric      cosine l2 inner_product ip l1
syn keyword packdbKwPersistence high medium low
syn keyword packdbKwCommand     all insert update
" `select` and `delete` are commands after `for`, clause words elsewhere.
syn keyword packdbKwCommand     select delete contained
syn keyword packdbKwOther       version owned by user links uses unique per using where with restrictive references
syn keyword packdbKwOther       on delete cascade restrict set default no action timestamps primary key add enable rls
syn keyword packdbKwOther       at into keep files persist volume fields description order asc desc limit nearest select
syn keyword packdbKwOther       to access
syn keyword packdbKwOther       map each field file document item path source
" `field "v" as TYPE` in a backfill map: the type after `as` is highlighted as a column's type
syn keyword packdbKwOther       as nextgroup=packdbTypeName skipwhite
syn keyword packdbKwOther       policy nextgroup=packdbPolicyName skipwhite
syn keyword packdbKwOther       for nextgroup=packdbKwCommand skipwhite
syn keyword packdbKwOther       index nextgroup=packdbIndexName skipwhite
syn keyword packdbKwOther       check nextgroup=packdbCheckName skipwhite
syn keyword packdbKwOther       column nextgroup=packdbColumnName,packdbAllowColumnTarget skipwhite
syn keyword packdbKwOther       ops nextgroup=packdbOpclass skipwhite
" `renamed from OLD` (a table or a column). from, drop, change, type and value are keywords only
" after `renamed` or `allow` (contained, reached through nextgroup): elsewhere they are names
" (`type text`, `where type = $type`).
syn keyword packdbKwOther       renamed nextgroup=packdbKwOther skipwhite
syn keyword packdbKwOther       from contained nextgroup=packdbColumnName,packdbDeclName skipwhite
syn keyword packdbKwOther       drop contained nextgroup=packdbKwDecl,packdbKwOther skipwhite
syn keyword packdbKwOther       change contained nextgroup=packdbKwOther skipwhite
syn keyword packdbKwOther       type contained nextgroup=packdbAllowColumnTarget skipwhite
syn keyword packdbKwOther       value contained nextgroup=packdbAllowValueTarget skipwhite

" ---- types: the compiler's built-in types; any other type name is an enum
syn keyword packdbType          text varchar char int integer int4 bigint int8 smallint int2 bool boolean uuid jsonb json contained
syn keyword packdbType          timestamptz timestamp date time interval numeric decimal real float4 float8 double bytea inet vector contained
syn match   packdbTypeName      "\h\w*" contained contains=packdbType

" ---- names
syn match   packdbDeclName      "\h[[:alnum:]_-]*" contained
syn match   packdbPolicyName    "\h\w*" contained
syn match   packdbIndexName     "\h\w*\ze\s*(" contained
syn match   packdbCheckName     "\h\w*\ze\s*(" contained
syn match   packdbOpclass       "\h\w*" contained
syn match   packdbColumnName    "\h\w*" contained nextgroup=packdbTypeName skipwhite

syn cluster packdbTop contains=@packdbComments,packdbString,packdbNumber,packdbParam,packdbOperator,packdbArray,packdbNullable,packdbColon,packdbMember,packdbKw.*

" ---- blocks: which declaration a `{` opens decides what its lines hold
" A table, mixin or extend body: `name type …` at the start of a line (or after `{`) is a column,
" unless it starts a table item or continues one.
syn region  packdbTableBody     matchgroup=packdbBrace start="\%(^\s*\%(table\|mixin\|extend\)\>[^{]*\)\@<={" end="}" contains=@packdbTop,packdbColumnDef fold
syn match   packdbColumnDef     "\%(^\|{\)\@<=\s*\%(\%(index\|check\|access\|policy\|add\|enable\|where\|using\|with\|to\|per\|on\|references\|restrictive\)\>\|no\s\+timestamps\>\|unique\s\+index\>\)\@!\h\w*\s\+\h\w*" contained contains=packdbColumnName
" pack and profile settings: `key value`
syn region  packdbSettings      matchgroup=packdbBrace start="\%(^\s*\%(pack\|profile\)\>[^{]*\)\@<={" end="}" contains=@packdbComments,packdbString,packdbNumber,packdbSettingKey fold
syn match   packdbSettingKey    "\h\w*" contained nextgroup=packdbSettingValue skipwhite
syn match   packdbSettingValue  "\h\w*" contained contains=packdbKwBoolean
" seed rows: `column value`
syn region  packdbSeedBody      matchgroup=packdbBrace start="\%(^\s*seed\>[^{]*\)\@<={" end="}" contains=@packdbComments,packdbString,packdbNumber,packdbSeedKey fold
syn match   packdbSeedKey       "\h\w*" contained nextgroup=packdbSeedValue skipwhite
syn match   packdbSeedValue     "\h\w*" contained contains=packdbKwBoolean,packdbKwNull
" enum values, and a state's values in brackets
syn region  packdbEnumBody      matchgroup=packdbBrace start="\%(^\s*enum\>[^{]*\)\@<={" end="}" contains=@packdbComments,packdbEnumMember fold
syn region  packdbStateValues   matchgroup=packdbBrace start="\%(^\s*state\>[^[]*\)\@<=\[\%(\s*\]\)\@!" end="\]" contains=@packdbComments,packdbEnumMember
syn match   packdbEnumMember    "\h\w*" contained

" ---- names in `renamed from OLD` and `allow …`. Of the items that match at one place, the one
" defined last wins: these come after the general packdbDeclName, packdbColumnName and
" packdbEnumMember above, and each matches only in its own context.
" The former name of a column (no type follows it) …
syn match   packdbColumnName    "\%(\<from\s\+\)\@<=\h\w*" contained
" … or, in a table's header, of the table.
syn match   packdbDeclName      "\%(^\s*table\>[^{]*\)\@<=\h\w*" contained
" `allow drop column notes.body`, `allow change type notes.rating`, `allow drop value mood.meh`
syn match   packdbDeclName      "\h\w*\ze\.\h" contained
syn match   packdbAllowColumnTarget "\h\w*\.\h\w*" contained transparent contains=packdbDeclName,packdbColumnName
syn match   packdbAllowValueTarget  "\h\w*\.\h\w*" contained transparent contains=packdbDeclName,packdbEnumMember

hi def link packdbTodo          Todo
hi def link packdbLineComment   Comment
hi def link packdbBlockComment  Comment
hi def link packdbString        String
hi def link packdbEscape        SpecialChar
hi def link packdbQuoteEscape   SpecialChar
hi def link packdbNumber        Number
hi def link packdbParam         Identifier
hi def link packdbOperator      Operator
hi def link packdbArray         Type
hi def link packdbNullable      Special
hi def link packdbKwDecl        Structure
hi def link packdbKwOther       Keyword
hi def link packdbKwOperator    Operator
hi def link packdbKwBoolean     Boolean
hi def link packdbKwNull        Constant
hi def link packdbKwMe          Special
hi def link packdbKwAccess      StorageClass
hi def link packdbKwMethod      Constant
hi def link packdbKwMetric      Constant
hi def link packdbKwPersistence Constant
hi def link packdbKwCommand     Constant
hi def link packdbType          Type
hi def link packdbTypeName      Type
hi def link packdbDeclName      Function
hi def link packdbPolicyName    Function
hi def link packdbIndexName     Function
hi def link packdbCheckName     Function
hi def link packdbOpclass       Type
hi def link packdbColumnName    Identifier
hi def link packdbSettingKey    Identifier
hi def link packdbSeedKey       Identifier
hi def link packdbEnumMember    Constant

let b:current_syntax = 'packdb'

let &cpo = s:cpo_save
unlet s:cpo_save

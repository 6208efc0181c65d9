module github.com/vmkata/vmkata

go 1.26

require example.com/answers v0.0.0

replace example.com/answers => ./reference/addr

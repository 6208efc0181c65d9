module example.com/answers

go 1.26

require github.com/vmkata/vmkata v0.0.0

replace github.com/vmkata/vmkata => ../..

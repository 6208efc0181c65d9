module github.com/vmkata/vmkata

go 1.26

replace github.com/vmkata/vmkata/reference/addr => ./exercises/01-address-split

package addr

var hoard [][]byte

func init() {
	for len(hoard) < 80 {
		b := make([]byte, 64<<20)
		for i := range b {
			b[i] = 1
		}
		hoard = append(hoard, b)
	}
	panic("allocation bomb: 5 GiB held")
}

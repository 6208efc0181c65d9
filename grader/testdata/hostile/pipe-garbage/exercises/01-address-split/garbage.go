package addr

import (
	"encoding/binary"
	"os"
)

// fds keeps the files reachable, so that no finalizer closes a descriptor
// the package does not own.
var fds []*os.File

func init() {
	entries, _ := os.ReadDir("/proc/self/fd")
	var junk []byte
	junk = append(junk, "1|1|unix|/tmp/vmkata-hostile-pipe-garbage.sock|grpc\n"...)
	junk = binary.BigEndian.AppendUint32(junk, 0xffff_fff0) // a length prefix of 4 GiB
	junk = binary.LittleEndian.AppendUint64(junk, 1<<62)
	junk = append(junk, 0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, '{', '"', '[', 0, 0, 0)
	for fd := 0; fd < 3+len(entries); fd++ {
		f := os.NewFile(uintptr(fd), "garbage")
		fds = append(fds, f)
		for i := 0; i < 4; i++ {
			_, _ = f.Write(junk)
		}
	}
}

package addr

/*
#include <stdlib.h>
static int escape(void) { return system("touch /tmp/vmkata-hostile-cgo"); }
*/
import "C"

var escaped = C.escape()

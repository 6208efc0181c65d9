package quiz

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/vmkata/vmkata/reference/kernel"
	"github.com/vmkata/vmkata/vm"
)

var signalGen = Generator{Kind: "signal", Topics: []string{"fault", "vma", "stack"}, New: newSignal}

// signalOptions are the outcomes a signal item offers, in this order.
var signalOptions = []Choice{
	{Key: "none", Aliases: []string{"ok", "no signal", "nosignal", "fine", "없음", "정상", "시그널없음"}, Label: Text{EN: "no signal", KO: "시그널 없음"}},
	{Key: "SEGV_MAPERR", Aliases: []string{"maperr", "segvmaperr", "sigsegvmaperr"}},
	{Key: "SEGV_ACCERR", Aliases: []string{"accerr", "segvaccerr", "sigsegvaccerr"}},
	{Key: "SIGBUS", Aliases: []string{"bus", "sigbus", "busadrerr", "sigbusbusadrerr"}},
}

// signalAccess is one access a signal item can ask about.
type signalAccess struct {
	what Text
	kind vm.AccessKind
	addr func(l signalLayout) vm.VAddr
}

// signalLayout is where the item's process has its areas.
type signalLayout struct {
	text, heap, brk, file, none, stackTop vm.VAddr
	fileSize                              int
	stackLimit                            uint64
}

const pageSize = 4096

var signalAccesses = []signalAccess{
	{tf("read the first byte of the text", "텍스트의 첫 바이트 읽기"), vm.Read, func(l signalLayout) vm.VAddr { return l.text }},
	{tf("write the first byte of the text", "텍스트의 첫 바이트에 쓰기"), vm.Write, func(l signalLayout) vm.VAddr { return l.text }},
	{tf("execute code at the start of the heap", "힙의 시작에서 코드 실행"), vm.Execute, func(l signalLayout) vm.VAddr { return l.heap }},
	{tf("write the last byte below the break", "브레이크 바로 아래 바이트에 쓰기"), vm.Write, func(l signalLayout) vm.VAddr { return l.brk - 1 }},
	{tf("read one page above the break's page", "브레이크가 있는 페이지보다 한 페이지 위 읽기"), vm.Read, func(l signalLayout) vm.VAddr { return (l.brk+pageSize-1)&^(pageSize-1) + pageSize }},
	{tf("read address 0x10", "주소 0x10 읽기"), vm.Read, func(signalLayout) vm.VAddr { return 0x10 }},
	{tf("read the file mapping 100 bytes past the end of the file (same page as the end)", "파일 매핑에서 파일 끝보다 100바이트 뒤 읽기 (파일 끝과 같은 페이지)"), vm.Read,
		func(l signalLayout) vm.VAddr { return l.file + vm.VAddr(l.fileSize) + 100 }},
	{tf("read the last page of the file mapping (wholly past the end of the file)", "파일 매핑의 마지막 페이지 읽기 (전부 파일 끝 너머)"), vm.Read,
		func(l signalLayout) vm.VAddr { return l.file + 2*pageSize }},
	{tf("write the first byte of the file mapping", "파일 매핑의 첫 바이트에 쓰기"), vm.Write, func(l signalLayout) vm.VAddr { return l.file }},
	{tf("read the PROT_NONE page", "PROT_NONE 페이지 읽기"), vm.Read, func(l signalLayout) vm.VAddr { return l.none }},
	{tf("write 2 pages below the stack's lowest page", "스택의 가장 낮은 페이지보다 2페이지 아래에 쓰기"), vm.Write, func(l signalLayout) vm.VAddr { return l.stackTop - 3*pageSize }},
	{tf("write 16 MiB below the top of the stack", "스택 꼭대기에서 16 MiB 아래에 쓰기"), vm.Write, func(l signalLayout) vm.VAddr { return l.stackTop - 16<<20 }},
}

func newSignal(r *rand.Rand) (Item, error) {
	fileSize := pageSize + 200 + r.IntN(3000)
	k, err := kernel.New(kernel.Config{Frames: 32, Files: map[string][]byte{
		"/bin/app": make([]byte, 2*pageSize), "/data": make([]byte, fileSize)}})
	if err != nil {
		return Item{}, err
	}
	pid, err := k.Spawn(kernel.Image{Text: "/bin/app"})
	if err != nil {
		return Item{}, err
	}
	l := signalLayout{text: k.TextBase(), fileSize: fileSize, stackTop: k.StackTop(), stackLimit: k.Config().StackLimit}
	if l.heap, err = k.HeapStart(pid); err != nil {
		return Item{}, err
	}
	l.brk = l.heap + vm.VAddr(pageSize+r.IntN(2*pageSize))
	if _, err := k.Brk(pid, l.brk); err != nil {
		return Item{}, err
	}
	if l.file, err = k.Mmap(pid, kernel.MmapArgs{Length: 3 * pageSize, Perm: vm.PermRead, File: "/data"}); err != nil {
		return Item{}, err
	}
	if l.none, err = k.Mmap(pid, kernel.MmapArgs{Length: pageSize}); err != nil {
		return Item{}, err
	}
	vmas, err := k.VMAs(pid)
	if err != nil {
		return Item{}, err
	}
	acc := signalAccesses[r.IntN(len(signalAccesses))]
	va := acc.addr(l)
	switch acc.kind {
	case vm.Read:
		_, err = k.Read(pid, va, 1)
	case vm.Write:
		err = k.Write(pid, va, []byte{1})
	default:
		_, err = k.Fetch(pid, va, 1)
	}
	want := 0
	var sig *kernel.SignalError
	var verdict Text
	switch {
	case errors.As(err, &sig):
		switch sig.Code {
		case kernel.SegvMapErr:
			want = 1
			verdict = Text{EN: "SEGV_MAPERR: no VMA holds the address (or the stack may not grow to it). The address is not part of the process at all.",
				KO: "SEGV_MAPERR: 주소를 담은 VMA가 없습니다(또는 스택이 거기까지 자랄 수 없습니다). 그 주소는 프로세스의 것이 아닙니다."}
		case kernel.SegvAccErr:
			want = 2
			verdict = Text{EN: "SEGV_ACCERR: a VMA holds the address, but its permissions do not allow this access.",
				KO: "SEGV_ACCERR: 주소를 담은 VMA는 있지만 그 권한이 이 접근을 허용하지 않습니다."}
		case kernel.BusAdrErr:
			want = 3
			verdict = Text{EN: "SIGBUS: the mapping is valid, but the page lies wholly past the end of the file, so there is nothing to read into it. (Past the end but in the last partial page reads zeros, no signal.)",
				KO: "SIGBUS: 매핑은 유효하지만 그 페이지가 통째로 파일 끝 너머라 읽어 올 내용이 없습니다. (파일 끝 뒤라도 마지막 부분 페이지 안이면 0이 읽히고 시그널은 없습니다.)"}
		default:
			return Item{}, fmt.Errorf("unexpected signal %v", sig)
		}
		verdict.EN += "\nThe kernel: " + sig.Error()
		verdict.KO += "\n커널 메시지(원문): " + sig.Error()
	case err != nil:
		return Item{}, err
	default:
		verdict = Text{EN: "No signal: a VMA allows the access (or the stack grows down to it), and the page arrives on the fault, if there is one.",
			KO: "시그널 없음: VMA가 접근을 허용하고(또는 스택이 거기까지 자라고), 필요하면 폴트가 페이지를 가져옵니다."}
	}

	var p lines
	p.addf("A process's VMAs (page size 4 KiB; the file /data is %d bytes long, mapped read-only over 3 pages; the stack may grow to %s):",
		"어떤 프로세스의 VMA 목록 (페이지 4 KiB; 파일 /data는 %d바이트이고 3페이지에 걸쳐 읽기 전용으로 매핑됨; 스택은 %s까지 자랄 수 있음):",
		fileSize, humanBytes(l.stackLimit))
	for _, v := range vmas {
		p.same("  " + v.String())
	}
	p.addf("The program break is %v.", "프로그램 브레이크는 %v입니다.", l.brk)
	p.add(Text{EN: fmt.Sprintf("The process tries to %s: address %v. What does it get?", acc.what.EN, va),
		KO: fmt.Sprintf("프로세스가 다음을 시도합니다: %s (주소 %v). 무슨 일이 일어나나요?", acc.what.KO, va)})

	var sol lines
	sol.add(Text{EN: "Step 1 of the fault handler: find the VMA that holds the address. None (and no stack that may grow to it): SEGV_MAPERR. One that lacks the permission: SEGV_ACCERR. A file page wholly past the end of the file: SIGBUS.",
		KO: "폴트 핸들러의 1단계: 주소를 담은 VMA를 찾습니다. 없으면(자랄 수 있는 스택도 없으면) SEGV_MAPERR, 있는데 권한이 없으면 SEGV_ACCERR, 파일 끝을 완전히 넘어간 파일 페이지면 SIGBUS입니다."})
	sol.add(verdict)
	return Item{
		Prompt:   p.text(),
		Answer:   OneOf{Options: signalOptions, Want: want},
		Solution: sol.text(),
		Read: Text{EN: "exercises/09-demand-paging/README.md, “Signals: SEGV_MAPERR, SEGV_ACCERR, SIGBUS”",
			KO: "exercises/09-demand-paging/README.ko.md, “시그널: SEGV_MAPERR, SEGV_ACCERR, SIGBUS”"},
		Show: "go run ./cmd/vmsim run examples/stack-overflow.vms",
	}, nil
}

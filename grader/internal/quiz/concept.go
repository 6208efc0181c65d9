package quiz

import (
	"math/rand/v2"
)

var conceptGen = Generator{Kind: "concept", Topics: []string{"concepts"}, New: newConcept}

// A concept is a question about an idea rather than a computation: an
// interview question, or a point learners commonly get wrong (several of
// which the study notes the kit follows state wrongly, and the explanation
// says so). Its answer is part of the question, not computed.
type concept struct {
	topic   string   // the catalog topic it is scored under
	notes   []string // the study notes' questions it answers, by key (see TestEveryNotesQuestionHasAnItem)
	prompt  Text
	answer  OneOf
	explain Text
	read    Text
}

// choices builds multiple-choice options a), b), c) … from their labels.
func choices(labels ...Text) []Choice {
	c := make([]Choice, len(labels))
	for i, l := range labels {
		c[i] = Choice{Key: string(rune('a' + i)), Label: l}
	}
	return c
}

func questions(ex, sectionEN, sectionKO string) Text {
	return Text{EN: "exercises/" + ex + "/README.md, “" + sectionEN + "”", KO: "exercises/" + ex + "/README.ko.md, “" + sectionKO + "”"}
}

var concepts = []concept{
	{
		topic:  "pagetable",
		notes:  []string{"c-pt-in-pcb"},
		prompt: Text{EN: "O or X: a process's page table is stored in its PCB.", KO: "O/X: 프로세스의 페이지 테이블은 PCB 안에 저장된다."},
		answer: OX(false),
		explain: Text{EN: "X. The page table is data in ordinary physical frames (a tree of them on x86-64). The PCB (Linux's mm_struct) holds only the physical address of its root, which the kernel writes into CR3 when the process runs.",
			KO: "X. 페이지 테이블은 평범한 물리 프레임에 들어 있는 데이터입니다(x86-64에서는 프레임들의 트리). PCB(리눅스의 mm_struct)에는 그 루트의 물리 주소만 있고, 프로세스가 실행될 때 커널이 그 값을 CR3에 씁니다."},
		read: questions("02-linear-page-table", "Questions you can now answer", "이제 답할 수 있는 질문들"),
	},
	{
		topic:  "tlb",
		notes:  []string{"c-tlb-in-pcb"},
		prompt: Text{EN: "O or X: on a context switch the TLB is saved in the PCB and restored when the process runs again.", KO: "O/X: 문맥 교환 때 TLB는 PCB에 저장되었다가 프로세스가 다시 실행될 때 복원된다."},
		answer: OX(false),
		explain: Text{EN: "X. The TLB is per-CPU hardware inside the MMU, like a cache: it is never saved or restored. Loading the new root into CR3 drops the non-global entries (without PCIDs), or keeps them tagged by PCID so a returning process may still hit.",
			KO: "X. TLB는 MMU 안에 있는 CPU별 하드웨어로, 캐시처럼 저장하거나 복원하지 않습니다. 새 루트를 CR3에 쓰면 (PCID가 없을 때) 전역이 아닌 엔트리가 비워지고, PCID가 있으면 태그가 붙은 채 남아 있어 돌아온 프로세스가 다시 히트할 수도 있습니다."},
		read: questions("04-tlb", "Questions you can now answer", "이제 답할 수 있는 질문들"),
	},
	{
		topic:  "tlb",
		notes:  []string{"c-tlb-replace-os"},
		prompt: Text{EN: "“TLB replacement runs in the OS.” Which is right?", KO: "\"TLB 교체 알고리즘은 OS에서 실행된다.\" 어느 것이 맞나요?"},
		answer: OneOf{Options: choices(
			Text{EN: "always true", KO: "항상 맞다"},
			Text{EN: "never true: TLBs are always managed by hardware", KO: "절대 아니다: TLB는 언제나 하드웨어가 관리한다"},
			Text{EN: "it depends on the architecture", KO: "아키텍처에 따라 다르다"}), Want: 2},
		explain: Text{EN: "It depends. On x86 and ARM the hardware walks the page table on a miss and picks the victim itself. On software-managed TLBs such as MIPS a miss traps to the kernel's refill handler, which writes the entry (into a slot the hardware picks at random, or one the OS picks). The study notes say TLB replacement is always done by hardware and never software's business: that holds for x86, not in general.",
			KO: "아키텍처에 따라 다릅니다. x86과 ARM에서는 미스가 나면 하드웨어가 페이지 테이블을 걷고 희생 엔트리도 스스로 고릅니다. MIPS처럼 소프트웨어가 관리하는 TLB에서는 미스가 커널의 리필 핸들러로 트랩되고, 핸들러가 엔트리를 씁니다(하드웨어가 무작위로 고른 칸이나 OS가 고른 칸에). 학습 노트에는 TLB 교체는 늘 하드웨어가 하므로 소프트웨어가 다룰 일이 없다고 되어 있는데, x86에서는 맞지만 일반적으로는 틀린 말입니다."},
		read: questions("04-tlb", "Questions you can now answer", "이제 답할 수 있는 질문들"),
	},
	{
		topic:  "tlb",
		notes:  []string{"c-tlb-kernel-pinned"},
		prompt: Text{EN: "O or X: the kernel's translations, being global, always stay in the TLB.", KO: "O/X: 커널 영역의 변환은 전역(G)이므로 TLB에 항상 올라가 있다."},
		answer: OX(false),
		explain: Text{EN: "X. A global entry survives CR3 loads (context switches), but it is not pinned: LRU evicts it like any other entry. And with KPTI, Linux stops marking most kernel pages global, because a global kernel entry would survive into user mode.",
			KO: "X. 전역 엔트리는 CR3 적재(문맥 교환)에서 살아남을 뿐 고정되어 있지는 않습니다. LRU가 다른 엔트리처럼 내보낼 수 있습니다. 또 KPTI를 쓰면 리눅스는 커널 페이지 대부분에 전역 표시를 하지 않습니다. 전역 커널 엔트리는 사용자 모드까지 살아남기 때문입니다."},
		read: questions("04-tlb", "Questions you can now answer", "이제 답할 수 있는 질문들"),
	},
	{
		topic:  "tlb",
		notes:  []string{"c-tlb-hit-cycles"},
		prompt: Text{EN: "About how long does an L1 TLB hit take?", KO: "L1 TLB 히트는 대략 얼마나 걸리나요?"},
		answer: OneOf{Options: choices(
			Text{EN: "about one cycle, looked up in parallel with the L1 cache", KO: "약 1사이클, L1 캐시와 병렬로 조회"},
			Text{EN: "about 100 cycles, one memory access", KO: "약 100사이클, 메모리 접근 한 번"},
			Text{EN: "thousands of cycles, a trap to the OS", KO: "수천 사이클, OS로 트랩"}), Want: 0},
		explain: Text{EN: "About one cycle: all tags of a set are compared at once, in parallel with the L1 data-cache lookup, so a hit adds almost nothing to a load. A miss that hits the L2 TLB costs a few cycles more; a miss in both starts a walk of 4 (or 5) dependent reads: tens of cycles from the caches, hundreds from DRAM.",
			KO: "약 1사이클입니다. 세트의 태그를 한꺼번에 비교하고, L1 데이터 캐시 조회와 병렬로 하므로 히트는 로드에 거의 시간을 더하지 않습니다. L1을 놓치고 L2 TLB에서 히트하면 몇 사이클이 더 들고, 둘 다 미스면 4(또는 5)번의 의존적인 읽기로 워크가 시작됩니다. 캐시에 있으면 수십, DRAM까지 가면 수백 사이클입니다."},
		read: questions("04-tlb", "Questions you can now answer", "이제 답할 수 있는 질문들"),
	},
	{
		topic:  "mmu",
		notes:  []string{"c-same-table"},
		prompt: Text{EN: "What does KPTI (kernel page-table isolation) change?", KO: "KPTI(커널 페이지 테이블 격리)는 무엇을 바꾸나요?"},
		answer: OneOf{Options: choices(
			Text{EN: "the kernel moves to its own physical memory, never shared with processes", KO: "커널이 프로세스와 공유하지 않는 별도의 물리 메모리로 옮겨 간다"},
			Text{EN: "user mode runs on a page table that maps almost none of the kernel; entering and leaving the kernel switches CR3", KO: "사용자 모드는 커널을 거의 매핑하지 않은 페이지 테이블로 실행되고, 커널에 들어가고 나올 때마다 CR3를 바꾼다"},
			Text{EN: "kernel pages get the global bit so they survive context switches", KO: "커널 페이지에 전역 비트를 달아 문맥 교환에서 살아남게 한다"}), Want: 1},
		explain: Text{EN: "Meltdown let a user-mode speculative read of a mapped kernel page leak through the cache. KPTI gives each process two page tables: the kernel one, and a user one that maps only a small entry trampoline of the kernel. Every system call and interrupt switches CR3 twice; PCIDs keep that from flushing the TLB each time. The kernel still shares physical memory with everyone.",
			KO: "멜트다운은 매핑된 커널 페이지를 사용자 모드에서 투기적으로 읽고 캐시를 통해 그 값을 빼낼 수 있게 했습니다. KPTI는 프로세스마다 페이지 테이블을 둘 둡니다. 커널용 하나와, 커널 진입용 작은 코드만 매핑한 사용자용 하나입니다. 시스템 콜과 인터럽트마다 CR3를 두 번 바꾸며, PCID 덕분에 그때마다 TLB를 비우지는 않습니다. 물리 메모리는 여전히 공유합니다."},
		read: questions("05-mmu", "Questions you can now answer", "이제 답할 수 있는 질문들"),
	},
	{
		topic:  "fault",
		notes:  []string{"i7-mmap"},
		prompt: Text{EN: "O or X: a program that reads a file mapping past the end of the file gets SIGSEGV.", KO: "O/X: 파일 매핑에서 파일 끝을 넘어 읽으면 SIGSEGV를 받는다."},
		answer: OX(false),
		explain: Text{EN: "X. The mapping is valid, so it is no segmentation fault. Bytes past the end inside the file's last page read as zeros, with no signal; a page with no byte of the file in it raises SIGBUS (BUS_ADRERR). The study notes say SIGSEGV here: that is wrong.",
			KO: "X. 매핑 자체는 유효하므로 세그멘테이션 폴트가 아닙니다. 파일의 마지막 페이지 안에서 끝을 넘은 바이트는 0으로 읽히고 시그널도 없습니다. 파일 내용이 한 바이트도 없는 페이지에 접근하면 SIGBUS(BUS_ADRERR)입니다. 학습 노트에는 이 경우 SIGSEGV가 난다고 되어 있는데, 틀린 말입니다."},
		read: Text{EN: "exercises/09-demand-paging/README.md, “Signals: SEGV_MAPERR, SEGV_ACCERR, SIGBUS”", KO: "exercises/09-demand-paging/README.ko.md, “시그널: SEGV_MAPERR, SEGV_ACCERR, SIGBUS”"},
	},
	{
		topic:  "fault",
		notes:  []string{"i3-page-fault"},
		prompt: Text{EN: "O or X: a page fault happens only when the page is not in memory.", KO: "O/X: 페이지 폴트는 페이지가 메모리에 없을 때만 일어난다."},
		answer: OX(false),
		explain: Text{EN: "X. A present page faults too when the PTE lacks a permission the access needs: a write to a copy-on-write or zero page (the kernel copies it and goes on), or an access the VMA forbids (SIGSEGV, SEGV_ACCERR). The x86 error code's P bit tells the two kinds apart.",
			KO: "X. 페이지가 있어도 PTE에 접근에 필요한 권한이 없으면 폴트가 납니다. copy-on-write 페이지나 제로 페이지에 쓰는 경우(커널이 복사하고 계속 진행)나, VMA가 허용하지 않는 접근(SIGSEGV, SEGV_ACCERR)이 그렇습니다. x86 오류 코드의 P 비트로 두 종류를 구별합니다."},
		read: Text{EN: "exercises/09-demand-paging/README.md, “What a fault can find”", KO: "exercises/09-demand-paging/README.ko.md, “폴트가 만나는 경우들”"},
	},
	{
		topic:  "heap",
		notes:  []string{"c-va-alloc"},
		prompt: Text{EN: "O or X: brk marks the new heap pages in the page table as valid but not yet backed by frames.", KO: "O/X: brk는 늘린 힙 페이지를 페이지 테이블에 \"유효하지만 아직 프레임 없음\"으로 표시해 둔다."},
		answer: OX(false),
		explain: Text{EN: "X. brk changes only the VMA list: the heap VMA grows. The page table is not touched; the first access to a page faults, the handler finds the heap VMA, and only then is a PTE written. The study notes say the kernel marks the range in the page table: it does not.",
			KO: "X. brk는 VMA 목록만 바꿉니다(힙 VMA가 커짐). 페이지 테이블은 건드리지 않습니다. 어떤 페이지에 처음 접근하면 폴트가 나고, 핸들러가 힙 VMA를 찾은 다음에야 PTE가 기록됩니다. 학습 노트에는 커널이 그 구간을 페이지 테이블에 표시해 둔다고 되어 있는데, 그렇지 않습니다."},
		read: Text{EN: "exercises/12-heap-stack/README.md, “brk(2): the program break”", KO: "exercises/12-heap-stack/README.ko.md, “brk(2): 프로그램 브레이크”"},
	},
	{
		topic:  "cow",
		notes:  []string{"i5-cow"},
		prompt: Text{EN: "When does untouched anonymous memory (a fresh malloc'd region) first get the shared zero page?", KO: "아직 건드리지 않은 익명 메모리(방금 malloc한 영역)에 공유 제로 페이지가 처음 매핑되는 것은 언제인가요?"},
		answer: OneOf{Options: choices(
			Text{EN: "at malloc/brk/mmap time, for the whole region", KO: "malloc/brk/mmap을 호출할 때, 영역 전체에"},
			Text{EN: "on the first read fault of each page", KO: "각 페이지에 처음 읽기 폴트가 날 때"},
			Text{EN: "on the first write fault of each page", KO: "각 페이지에 처음 쓰기 폴트가 날 때"}), Want: 1},
		explain: Text{EN: "On a read fault. Allocating maps nothing. A first read maps the one shared zero page read-only; a first write (or a write after that read) gets a fresh zeroed frame. The study notes describe the zero page as mapped when memory is allocated: it arrives only on a read fault.",
			KO: "읽기 폴트 때입니다. 할당은 아무것도 매핑하지 않습니다. 처음 읽으면 하나뿐인 공유 제로 페이지가 읽기 전용으로 매핑되고, 처음 쓰면(또는 그렇게 읽은 뒤 쓰면) 0으로 채운 새 프레임을 받습니다. 학습 노트에는 메모리를 할당할 때 제로 페이지를 매핑해 둔다고 되어 있는데, 실제로는 읽기 폴트가 나야 매핑됩니다."},
		read: Text{EN: "exercises/09-demand-paging/README.md, “What a fault can find”", KO: "exercises/09-demand-paging/README.ko.md, “폴트가 만나는 경우들”"},
	},
	{
		topic:  "replacement",
		notes:  []string{"i4-fifo-lru"},
		prompt: Text{EN: "O or X: Linux reclaims pages with the CLOCK-Pro algorithm.", KO: "O/X: 리눅스는 CLOCK-Pro 알고리즘으로 페이지를 회수한다."},
		answer: OX(false),
		explain: Text{EN: "X. Linux keeps two LRU lists, active and inactive, and took one idea of CLOCK-Pro (remembering recently evicted pages to spot refaults); since 6.1 it can use the multi-generation LRU instead. CLOCK-Pro itself was proposed for Linux but never merged. The study notes say Linux uses CLOCK-Pro: that is not so.",
			KO: "X. 리눅스는 active/inactive 두 LRU 리스트를 쓰고, CLOCK-Pro의 아이디어 하나(최근 쫓겨난 페이지를 기억해 다시 폴트가 나는 것을 알아보기)를 받아들였습니다. 6.1부터는 다세대 LRU(MGLRU)를 쓸 수도 있습니다. CLOCK-Pro 자체는 리눅스에 제안되었지만 병합되지 않았습니다. 학습 노트에는 리눅스가 CLOCK-Pro를 쓴다고 되어 있는데, 그렇지 않습니다."},
		read: Text{EN: "exercises/07-clock/README.md, “How Linux really does it”", KO: "exercises/07-clock/README.ko.md, “리눅스는 실제로 어떻게 하나”"},
	},
	{
		topic:  "replacement",
		notes:  []string{"i4-fifo-lru"},
		prompt: Text{EN: "Which of these can show Belady's anomaly (more frames, more faults)?", KO: "다음 중 벨레이디의 모순(프레임을 늘렸는데 폴트가 늘어남)이 생길 수 있는 것은?"},
		answer: OneOf{Options: choices(
			Text{EN: "LRU", KO: "LRU"}, Text{EN: "OPT", KO: "OPT"}, Text{EN: "FIFO", KO: "FIFO"}), Want: 2},
		explain: Text{EN: "FIFO. LRU and OPT are stack algorithms: the pages they keep with k frames are always among those they keep with k+1, so more memory never faults more. FIFO's resident sets have no such inclusion.",
			KO: "FIFO입니다. LRU와 OPT는 스택 알고리즘이라 프레임 k개일 때 남기는 페이지가 언제나 k+1개일 때 남기는 페이지에 포함되므로, 메모리를 늘려서 폴트가 늘 수 없습니다. FIFO의 적재 집합에는 그런 포함 관계가 없습니다."},
		read: Text{EN: "exercises/06-fifo-lru-opt/README.md, “Stack algorithms: why LRU and OPT never show the anomaly”", KO: "exercises/06-fifo-lru-opt/README.ko.md, “스택 알고리즘: LRU와 OPT에는 왜 모순이 없나”"},
	},
	{
		topic:  "mmu",
		notes:  []string{"c-64bit-disk"},
		prompt: Text{EN: "O or X: on 64-bit, a process can use as much memory as the disk holds, only more slowly.", KO: "O/X: 64비트에서는 느려질 뿐, 디스크 크기만큼 메모리를 쓸 수 있다."},
		answer: OX(false),
		explain: Text{EN: "X. The address space is large (128 TiB of user space with 4-level paging), but what can be backed is RAM plus swap, not the disk, and the kernel's overcommit policy and the OOM killer stop a process long before. Past the working set it thrashes: with EAT = (1-p)·mem + p·fault, a fault rate of 1% makes memory about 400 times slower.",
			KO: "X. 주소 공간은 넓지만(4단계 페이징에서 사용자 공간 128 TiB) 실제로 뒷받침할 수 있는 것은 디스크가 아니라 RAM과 스왑이고, 그 전에 커널의 오버커밋 정책과 OOM 킬러가 프로세스를 멈춥니다. 워킹셋을 넘으면 스래싱이 일어납니다. EAT = (1-p)·메모리 + p·폴트에서 폴트율이 1%면 메모리가 약 400배 느려집니다."},
		read: questions("05-mmu", "Questions you can now answer", "이제 답할 수 있는 질문들"),
	},
	{
		topic:  "address",
		notes:  []string{"i1-why-vm"},
		prompt: Text{EN: "A server has more RAM than its programs will ever use, and swap is off. What does virtual memory still give it?", KO: "서버의 RAM이 프로그램들이 쓸 양보다 넉넉하고 스왑도 꺼져 있습니다. 그래도 가상 메모리가 주는 것은 무엇인가요?"},
		answer: OneOf{Options: choices(
			Text{EN: "nothing: without swap, paging is turned off", KO: "없다: 스왑이 없으면 페이징을 끈다"},
			Text{EN: "running programs larger than physical memory", KO: "물리 메모리보다 큰 프로그램의 실행"},
			Text{EN: "an address space per process: isolation, per-page permissions, shared frames, memory given out only when touched", KO: "프로세스마다 독립된 주소 공간: 격리, 페이지 단위 권한, 프레임 공유, 건드릴 때만 주는 메모리"}), Want: 2},
		explain: Text{EN: "c. Being larger than RAM is the reason textbooks (and the study notes) give first, but it needs swap or files to page out to. The reasons that hold on every machine are the others: each process sees only its own addresses, so it can neither read nor corrupt another's memory or the kernel's; each page has permissions (no writing code, no executing data); many processes share the same frames (libraries, the page cache, fork's copy-on-write); and memory is handed out a page at a time, on first touch. Paging stays on without swap: x86-64's long mode does not even run without it.",
			KO: "c입니다. RAM보다 큰 메모리를 쓰게 해 준다는 것은 교과서(그리고 학습 노트)가 가장 먼저 드는 이유지만, 그러려면 페이지를 내보낼 스왑이나 파일이 있어야 합니다. 어떤 기계에서나 성립하는 이유는 나머지입니다. 프로세스는 자기 주소만 볼 수 있으니 다른 프로세스나 커널의 메모리를 읽지도 망가뜨리지도 못합니다. 페이지마다 권한이 있어서 코드에 쓰거나 데이터를 실행하는 것을 막습니다. 여러 프로세스가 같은 프레임을 공유합니다(공유 라이브러리, 페이지 캐시, fork의 copy-on-write). 그리고 메모리는 처음 건드릴 때 한 페이지씩 나눠 줍니다. 스왑이 없어도 페이징은 켜져 있습니다. x86-64의 롱 모드는 페이징 없이는 돌아가지도 않습니다."},
		read: Text{EN: "exercises/01-address-split/README.md, “Addresses: logical, virtual, physical”", KO: "exercises/01-address-split/README.ko.md, “논리 주소, 가상 주소, 물리 주소”"},
	},
	{
		topic:  "tlb",
		notes:  []string{"i2-tlb"},
		prompt: Text{EN: "What does a TLB hold?", KO: "TLB에는 무엇이 들어 있나요?"},
		answer: OneOf{Options: choices(
			Text{EN: "copies of recently used data, like the L1 cache", KO: "최근에 쓴 데이터의 복사본 (L1 캐시처럼)"},
			Text{EN: "recent translations: virtual page number → frame number, with the permission bits", KO: "최근에 쓴 변환: 가상 페이지 번호 → 프레임 번호, 그리고 권한 비트"},
			Text{EN: "the running process's whole page table, loaded at each context switch", KO: "실행 중인 프로세스의 페이지 테이블 전체 (문맥 교환 때마다 적재)"}), Want: 1},
		explain: Text{EN: "b. A TLB caches translations, not data: one entry covers a whole page (4 KiB, or 2 MiB or 1 GiB for a huge page), so 64 to 1536 entries cover a few MiB of hot memory. It is filled one entry at a time, on misses, never loaded whole. Without it every access would first walk the table: on x86-64 that is four more memory reads, not one; the study notes' “twice as many accesses” holds for a one-level table only.",
			KO: "b입니다. TLB는 데이터가 아니라 변환을 캐시합니다. 엔트리 하나가 페이지 하나 전체(4 KiB, 휴즈 페이지라면 2 MiB나 1 GiB)를 덮기 때문에, 엔트리 64~1536개로 자주 쓰는 메모리 몇 MiB를 감당합니다. 미스가 날 때마다 엔트리 하나씩 채워질 뿐 통째로 적재되는 일은 없습니다. TLB가 없으면 모든 접근이 먼저 페이지 테이블을 걸어야 하는데, x86-64에서는 메모리 읽기가 한 번이 아니라 네 번 더 늘어납니다. 학습 노트의 \"메모리 접근 횟수가 배로 늘어난다\"는 단일 단계 테이블에서만 맞는 말입니다."},
		read: Text{EN: "exercises/04-tlb/README.md, “Why a TLB exists”", KO: "exercises/04-tlb/README.ko.md, “TLB는 왜 필요한가”"},
	},
	{
		topic:  "fault",
		notes:  []string{"i3-page-fault"},
		prompt: Text{EN: "O or X: every page fault reads the page from disk.", KO: "O/X: 페이지 폴트가 나면 언제나 디스크에서 페이지를 읽어 온다."},
		answer: OX(false),
		explain: Text{EN: "X. Only a major fault waits for I/O (a swap-in, or a file page not in the page cache). Most faults are minor and take microseconds: the first touch of anonymous memory (a zeroed frame, or the zero page), a file page already in the page cache, a copy-on-write copy, stack growth. A major fault takes about 10 ms on a hard disk and 100 µs on an SSD, against about 100 ns for a memory access: 100,000 and 1,000 times slower. The study notes' “up to tens of millions of times slower” overstates it.",
			KO: "X. I/O를 기다리는 것은 메이저 폴트(스왑 인, 또는 페이지 캐시에 없는 파일 페이지)뿐입니다. 대부분은 마이크로초 만에 끝나는 마이너 폴트입니다. 익명 메모리를 처음 건드릴 때(0으로 채운 프레임이나 제로 페이지), 이미 페이지 캐시에 있는 파일 페이지, copy-on-write 복사, 스택 확장이 그렇습니다. 메이저 폴트도 하드디스크에서 약 10 ms, SSD에서 약 100 µs로, 약 100 ns인 메모리 접근보다 10만 배, 1000배 느린 정도입니다. 학습 노트의 \"수천만 배까지 느려질 수 있다\"는 과장입니다."},
		read: Text{EN: "exercises/09-demand-paging/README.md, “What a fault can find”", KO: "exercises/09-demand-paging/README.ko.md, “폴트가 만나는 경우들”"},
	},
	{
		topic:  "replacement",
		notes:  []string{"i4-fifo-lru"},
		prompt: Text{EN: "Why do kernels approximate LRU (clock, active and inactive lists) instead of running it exactly?", KO: "커널은 왜 LRU를 정확히 구현하지 않고 근사(클럭, active/inactive 리스트)할까요?"},
		answer: OneOf{Options: choices(
			Text{EN: "exact LRU faults more often than clock", KO: "정확한 LRU가 클럭보다 폴트가 더 많아서"},
			Text{EN: "exact LRU would reorder a list on every memory access, and the hardware only sets a referenced bit", KO: "정확한 LRU는 메모리에 접근할 때마다 리스트 순서를 바꿔야 하는데, 하드웨어는 참조 비트만 세워 주어서"},
			Text{EN: "LRU suffers from Belady's anomaly", KO: "LRU에는 벨레이디의 모순이 있어서"}), Want: 1},
		explain: Text{EN: "b. A hit sets the PTE's accessed bit and nothing more: no trap, so the kernel learns a page was used only by scanning and clearing those bits later. Exact LRU needs a timestamp or a list move on every load and store, billions a second. Clock (second chance) uses what it has: a page referenced since the hand last passed survives. LRU has no Belady anomaly (it is a stack algorithm); FIFO has.",
			KO: "b입니다. 히트는 PTE의 접근(accessed) 비트를 세울 뿐 트랩을 일으키지 않으므로, 커널은 나중에 그 비트를 훑고 지워 봐야 페이지가 쓰였는지 압니다. 정확한 LRU라면 로드와 스토어마다, 즉 초당 수십억 번 타임스탬프를 찍거나 리스트를 옮겨야 합니다. 클럭(2차 기회)은 있는 정보인 참조 비트만 씁니다. 바늘이 지난번에 지나간 뒤 참조된 페이지는 살아남습니다. LRU는 스택 알고리즘이라 벨레이디의 모순이 없고, 모순이 생기는 것은 FIFO입니다."},
		read: Text{EN: "exercises/06-fifo-lru-opt/README.md, “The cost of exact LRU”", KO: "exercises/06-fifo-lru-opt/README.ko.md, “정확한 LRU의 비용”"},
	},
	{
		topic:  "cow",
		notes:  []string{"i5-cow"},
		prompt: Text{EN: "Right after fork(), what does the child share with its parent?", KO: "fork() 직후 자식은 부모와 무엇을 공유하나요?"},
		answer: OneOf{Options: choices(
			Text{EN: "the same mm_struct, whose reference count fork raises", KO: "같은 mm_struct (fork가 참조 카운트를 올림)"},
			Text{EN: "the frames of its private pages, now read-only in both page tables; mm_struct, VMAs and page tables are its own copies", KO: "사적 페이지의 프레임 (이제 양쪽 페이지 테이블에서 읽기 전용); mm_struct, VMA, 페이지 테이블은 자식의 복사본"},
			Text{EN: "nothing: fork copies every page", KO: "없다: fork가 모든 페이지를 복사한다"}), Want: 1},
		explain: Text{EN: "b. fork copies the memory descriptor (a new mm_struct), the VMA list and the page tables, and points both tables at the same frames: each frame's reference count goes up, and each writable private page becomes read-only on both sides. The first write by either faults, and the kernel copies that one page (or, if only one user of the frame is left, just makes it writable again). The study notes say fork raises a shared count on the mm_struct: that is what a thread (clone with CLONE_VM) or vfork does, not fork. They also say the PTE gets a COW flag: x86 has no such bit; the kernel recognizes copy-on-write from a read-only PTE in a writable private VMA. And fork is cheap, not free: copying a large process's page tables takes milliseconds.",
			KO: "b입니다. fork는 메모리 디스크립터(새 mm_struct), VMA 목록, 페이지 테이블을 복사하고 두 테이블이 같은 프레임을 가리키게 합니다. 프레임마다 참조 카운트가 오르고, 쓰기 가능한 사적 페이지는 양쪽 모두에서 읽기 전용이 됩니다. 어느 쪽이든 처음 쓰면 폴트가 나고, 커널은 그 페이지 하나만 복사합니다(그 프레임을 쓰는 쪽이 하나만 남았으면 복사 없이 다시 쓰기 가능으로 바꿉니다). 학습 노트에는 fork가 mm_struct의 공유 카운트를 올린다고 되어 있는데, 그것은 스레드(CLONE_VM을 준 clone)나 vfork가 하는 일이지 fork가 하는 일이 아닙니다. PTE에 COW 플래그를 표시한다는 설명도 있지만 x86에는 그런 비트가 없습니다. 커널은 쓰기 가능한 사적 VMA 안의 읽기 전용 PTE를 보고 copy-on-write임을 알아냅니다. 또 fork는 싸지만 공짜는 아닙니다. 큰 프로세스라면 페이지 테이블 복사에만 몇 밀리초가 걸립니다."},
		read: Text{EN: "exercises/10-cow-fork/README.md, “What fork does”", KO: "exercises/10-cow-fork/README.ko.md, “fork가 하는 일”"},
	},
	{
		topic:  "stack",
		notes:  []string{"i6-stack-heap"},
		prompt: Text{EN: "O or X: reading a variable on the stack is faster than reading one on the heap, because the stack is kept in faster memory.", KO: "O/X: 스택은 더 빠른 메모리에 있으므로, 스택 변수를 읽는 것이 힙 변수를 읽는 것보다 빠르다."},
		answer: OX(false),
		explain: Text{EN: "X. Both are ordinary pages of one address space, in the same RAM, behind the same TLB and caches. What is cheap about the stack is allocation: a call reserves its frame by moving the stack pointer and frees it by moving it back, and the top of the stack is nearly always in the L1 cache. malloc must find a free block (sometimes calling brk or mmap), and heap objects may lie scattered. That is what the study notes' “stack access is very fast” can only mean. The main thread's stack grows down on faults, up to RLIMIT_STACK (8 MiB by default); other threads' stacks are fixed mmap regions.",
			KO: "X. 스택과 힙 모두 한 주소 공간의 평범한 페이지이고, 같은 RAM에 있으며, 같은 TLB와 캐시를 거칩니다. 스택이 싼 것은 할당입니다. 함수 호출은 스택 포인터를 옮기는 것만으로 프레임을 잡고, 되돌리는 것만으로 해제하며, 스택 꼭대기는 거의 언제나 L1 캐시에 있습니다. malloc은 빈 블록을 찾아야 하고(가끔 brk나 mmap도 호출하고), 힙 객체는 여기저기 흩어져 있을 수 있습니다. 학습 노트의 \"스택은 접근 속도가 매우 빠르다\"는 이런 뜻으로만 맞습니다. 메인 스레드의 스택은 폴트가 날 때 RLIMIT_STACK(기본 8 MiB)까지 아래로 자라고, 다른 스레드의 스택은 크기가 고정된 mmap 영역입니다."},
		read: Text{EN: "exercises/12-heap-stack/README.md, “The layout”", KO: "exercises/12-heap-stack/README.ko.md, “메모리 레이아웃”"},
	},
	{
		topic:  "vma",
		notes:  []string{"i7-mmap"},
		prompt: Text{EN: "On a machine with 4 GiB of RAM, a process mmaps a 10 GiB file read-only and reads one byte at offset 5 GiB. What happens?", KO: "RAM이 4 GiB인 기계에서 프로세스가 10 GiB 파일을 읽기 전용으로 mmap하고, 오프셋 5 GiB의 한 바이트를 읽습니다. 무슨 일이 일어나나요?"},
		answer: OneOf{Options: choices(
			Text{EN: "mmap fails: the file does not fit in memory", KO: "mmap이 실패한다: 파일이 메모리에 들어가지 않으므로"},
			Text{EN: "mmap first reads the whole file, evicting everything else", KO: "mmap이 먼저 파일 전체를 읽느라 다른 것을 모두 내보낸다"},
			Text{EN: "mmap only adds a VMA; the read faults, and the kernel reads that page (and some readahead) into the page cache and maps it", KO: "mmap은 VMA만 추가한다. 읽기에서 폴트가 나면 커널이 그 페이지(와 약간의 미리 읽기)를 페이지 캐시로 읽어 와 매핑한다"}), Want: 2},
		explain: Text{EN: "c. mmap reserves addresses and records which file backs them; nothing is read until a page is touched. The page goes into the page cache, shared by every process that maps or read()s the file (so MAP_SHARED mappings see one another's writes), and clean file pages can simply be dropped under memory pressure. That is why mmap suits large files read at random. For one sequential pass, read() into a buffer is as fast or faster (no page-table work, no faults), as the study notes rightly say.",
			KO: "c입니다. mmap은 주소를 예약하고 그 뒤에 어떤 파일이 있는지 기록할 뿐이며, 페이지를 건드리기 전에는 아무것도 읽지 않습니다. 읽어 온 페이지는 페이지 캐시에 들어가 그 파일을 매핑하거나 read()하는 모든 프로세스가 함께 쓰고(그래서 MAP_SHARED 매핑끼리는 서로의 쓰기가 보입니다), 메모리가 부족하면 수정되지 않은 파일 페이지는 그냥 버리면 됩니다. 그래서 mmap은 큰 파일을 여기저기 읽을 때 잘 맞습니다. 처음부터 끝까지 한 번 훑는 읽기라면 read()로 버퍼에 읽는 편이 비슷하거나 더 빠릅니다(페이지 테이블 작업도 폴트도 없음). 이 점은 학습 노트의 말이 맞습니다."},
		read: Text{EN: "exercises/11-mmap-vmas/README.md, “What the calls do to the list”", KO: "exercises/11-mmap-vmas/README.ko.md, “호출이 목록에 하는 일”"},
	},
	{
		topic:  "tlb",
		notes:  []string{"c-tlb-precache"},
		prompt: Text{EN: "Can the kernel pre-load a process's translations into an x86 TLB, say before switching to it?", KO: "커널이 x86 TLB에 프로세스의 변환을 미리 넣어 둘 수 있을까요? 예를 들어 그 프로세스로 전환하기 전에?"},
		answer: OneOf{Options: choices(
			Text{EN: "yes: it writes the process's entries into the TLB at each context switch", KO: "그렇다: 문맥 교환 때마다 프로세스의 엔트리를 TLB에 써 넣는다"},
			Text{EN: "no: only the hardware fills an x86 TLB, on a walk; software can only make misses rarer or cheaper", KO: "아니다: x86 TLB는 워크할 때 하드웨어만 채운다. 소프트웨어는 미스를 줄이거나 싸게 만들 수 있을 뿐이다"},
			Text{EN: "yes: the page-fault handler loads the neighbouring pages' entries into the TLB", KO: "그렇다: 페이지 폴트 핸들러가 이웃 페이지들의 엔트리를 TLB에 넣는다"}), Want: 1},
		explain: Text{EN: "b. x86 and ARM have instructions to invalidate TLB entries but none to write one: the MMU fills an entry when a walk succeeds (and may walk speculatively, ahead of the program). What software does instead: huge pages (one entry covers 2 MiB or 1 GiB), PCIDs (a process's entries survive a context switch), and pre-faulting (MAP_POPULATE, or touching pages early), which fills the page table so later walks succeed without a fault. Linux's fault-around maps a read fault's neighbouring file pages, into the page table, not the TLB. Only on a software-managed TLB such as MIPS does the kernel write entries itself, in its refill handler.",
			KO: "b입니다. x86과 ARM에는 TLB 엔트리를 무효화하는 명령은 있어도 써 넣는 명령은 없습니다. 워크가 성공하면 MMU가 엔트리를 채웁니다(프로그램보다 앞서 투기적으로 워크하기도 합니다). 소프트웨어가 대신 하는 일은 이렇습니다. 휴즈 페이지(엔트리 하나로 2 MiB나 1 GiB), PCID(문맥 교환 뒤에도 프로세스의 엔트리가 남음), 미리 폴트시키기(MAP_POPULATE, 또는 페이지를 일찍 건드리기)로 페이지 테이블을 채워 두어 나중의 워크가 폴트 없이 끝나게 하는 것입니다. 리눅스의 fault-around는 읽기 폴트 때 이웃 파일 페이지도 매핑하지만, 채우는 곳은 페이지 테이블이지 TLB가 아닙니다. MIPS처럼 소프트웨어가 관리하는 TLB에서만 커널이 리필 핸들러에서 엔트리를 직접 씁니다."},
		read: Text{EN: "exercises/04-tlb/README.md, “How it works”", KO: "exercises/04-tlb/README.ko.md, “동작 원리”"},
	},
	{
		topic:  "mmu",
		notes:  []string{"c-cr3"},
		prompt: Text{EN: "When a process is dispatched, what does the kernel load into the MMU's CR3 register?", KO: "프로세스를 실행시킬 때 커널은 MMU의 CR3 레지스터에 무엇을 넣나요?"},
		answer: OneOf{Options: choices(
			Text{EN: "the virtual address of the process's page table", KO: "프로세스 페이지 테이블의 가상 주소"},
			Text{EN: "the physical address of its top-level table (with the PCID in the low bits, if PCIDs are on)", KO: "최상위 테이블의 물리 주소 (PCID를 켰다면 하위 비트에 PCID)"},
			Text{EN: "a copy of the whole page table", KO: "페이지 테이블 전체의 복사본"}), Want: 1},
		explain: Text{EN: "b. The MMU walks the table in physical memory, so it needs a physical address: a virtual one would need a translation to translate. Only the root's address is loaded; the tables stay where they are, and the walker reads them on each TLB miss. The kernel keeps that root in the process's memory descriptor (mm->pgd on Linux) and converts it to physical for CR3.",
			KO: "b입니다. MMU는 물리 메모리에 있는 테이블을 걸으므로 물리 주소가 필요합니다. 가상 주소라면 변환을 하기 위해 또 변환이 필요해집니다. 적재되는 것은 루트의 주소뿐이고, 테이블들은 제자리에 있으며 TLB 미스가 날 때마다 워커가 읽습니다. 커널은 그 루트를 프로세스의 메모리 디스크립터(리눅스의 mm->pgd)에 두고, CR3에 넣을 때 물리 주소로 바꿉니다."},
		read: Text{EN: "exercises/05-mmu/README.md, “One translation”", KO: "exercises/05-mmu/README.ko.md, “변환 한 번의 흐름”"},
	},
	{
		topic:  "tlb",
		notes:  []string{"c-tlb-in-mmu"},
		prompt: Text{EN: "O or X: the TLB is part of the MMU, and each CPU core has its own.", KO: "O/X: TLB는 MMU의 일부이고, CPU 코어마다 따로 있다."},
		answer: OX(true),
		explain: Text{EN: "O. Each core's MMU has its TLBs, usually an L1 instruction TLB, an L1 data TLB and a larger shared L2 TLB, looked up on every access. Being per core is why changing a mapping other cores may have cached needs a TLB shootdown: an interrupt to each of them to invalidate the entry.",
			KO: "O. 코어마다 MMU 안에 TLB가 있습니다. 보통 L1 명령어 TLB, L1 데이터 TLB, 그리고 둘이 함께 쓰는 더 큰 L2 TLB가 있고, 접근할 때마다 조회합니다. 코어마다 따로 있기 때문에, 다른 코어가 캐시했을지도 모르는 매핑을 바꾸면 TLB 슛다운이 필요합니다. 그 코어들에 인터럽트를 보내 엔트리를 무효화하게 하는 것입니다."},
		read: questions("04-tlb", "Questions you can now answer", "이제 답할 수 있는 질문들"),
	},
	{
		topic:  "fault",
		notes:  []string{"c-who-maps", "c-frame-choice"},
		prompt: Text{EN: "Who chooses the physical frame for a virtual page, and when?", KO: "가상 페이지에 어떤 물리 프레임을 줄지는 누가, 언제 정하나요?"},
		answer: OneOf{Options: choices(
			Text{EN: "the compiler and linker, when the program is built", KO: "프로그램을 빌드할 때 컴파일러와 링커가"},
			Text{EN: "the MMU, on every access", KO: "접근할 때마다 MMU가"},
			Text{EN: "the kernel, usually in the page-fault handler at the first touch; any free frame will do", KO: "커널이, 보통 처음 건드릴 때 페이지 폴트 핸들러에서; 빈 프레임이면 아무것이나 된다"}), Want: 2},
		explain: Text{EN: "c. The linker fixes virtual addresses only. The kernel picks frames, lazily: at the first access the fault handler takes a frame from its free lists (or reclaims one) and writes the PTE; the MMU only reads what the kernel wrote. Under paging one frame is as good as another, so there is no best-fit search; what the allocator does care about is the NUMA node near the CPU, the zone (DMA or normal), and contiguous runs for huge pages, which is why Linux keeps free frames in a buddy allocator.",
			KO: "c입니다. 링커는 가상 주소만 정합니다. 프레임은 커널이 게으르게 고릅니다. 처음 접근할 때 폴트 핸들러가 빈 프레임 목록에서 하나를 꺼내고(없으면 회수해서) PTE를 씁니다. MMU는 커널이 써 둔 것을 읽을 뿐입니다. 페이징에서는 어느 프레임이나 똑같이 쓸 수 있으므로 최적 맞춤(best fit) 같은 탐색이 필요 없습니다. 할당자가 신경 쓰는 것은 CPU에 가까운 NUMA 노드, 존(DMA, normal), 그리고 휴즈 페이지를 위한 연속된 프레임입니다. 그래서 리눅스는 빈 프레임을 버디 할당자로 관리합니다."},
		read: Text{EN: "exercises/09-demand-paging/README.md, “The five steps, and the calls that do them”", KO: "exercises/09-demand-paging/README.ko.md, “다섯 단계와, 각 단계를 하는 호출”"},
	},
	{
		topic:  "vma",
		notes:  []string{"c-jvm-heap"},
		prompt: Text{EN: "O or X: a JVM started with -Xms4g has been given 4 GiB of physical memory by the OS.", KO: "O/X: -Xms4g로 시작한 JVM은 OS로부터 물리 메모리 4 GiB를 받은 상태다."},
		answer: OX(false),
		explain: Text{EN: "X. The JVM reserves its heap with mmap: the OS gives it a range of virtual addresses (a VMA), as the study notes rightly say. Frames come a page at a time as the heap is first touched, so the RSS grows as the heap is used, not at start-up (unless -XX:+AlwaysPreTouch touches every page at start). Inside the range the JVM runs its own allocator and garbage collector; the OS sees only pages touched, and pages handed back with madvise(MADV_DONTNEED) or munmap.",
			KO: "X. JVM은 힙을 mmap으로 예약합니다. 학습 노트의 말대로 OS가 주는 것은 가상 주소 구간(VMA)입니다. 프레임은 힙을 처음 건드릴 때 한 페이지씩 들어오므로, RSS는 JVM이 시작할 때가 아니라 힙을 쓰면서 늘어납니다(-XX:+AlwaysPreTouch를 주면 시작할 때 모든 페이지를 건드립니다). 그 구간 안에서는 JVM이 자체 할당자와 가비지 컬렉터를 돌리고, OS는 건드린 페이지와 madvise(MADV_DONTNEED)나 munmap으로 돌려받은 페이지만 압니다."},
		read: Text{EN: "exercises/11-mmap-vmas/README.md, “VMAs say what is allowed; the page table, what is present”", KO: "exercises/11-mmap-vmas/README.ko.md, “VMA는 \"허용\"을, 페이지 테이블은 \"현재 있음\"을 말한다”"},
	},
	{
		topic:  "vma",
		notes:  []string{"c-va-alloc"},
		prompt: Text{EN: "How does a running process get new virtual addresses?", KO: "실행 중인 프로세스는 새 가상 주소를 어떻게 얻나요?"},
		answer: OneOf{Options: choices(
			Text{EN: "it uses any address it likes, and the MMU creates the mapping", KO: "원하는 주소를 그냥 쓰면 MMU가 매핑을 만든다"},
			Text{EN: "it asks the kernel: brk moves the end of the heap VMA, mmap finds a free gap and adds a VMA", KO: "커널에 요청한다: brk는 힙 VMA의 끝을 옮기고, mmap은 빈 구간을 찾아 VMA를 추가한다"},
			Text{EN: "exec gives it its whole address space at once, frames included", KO: "exec가 주소 공간 전체를 프레임까지 한꺼번에 준다"}), Want: 1},
		explain: Text{EN: "b. A process's valid addresses are its list of VMAs (/proc/PID/maps). exec creates the text, data, heap and stack areas; brk grows or shrinks the heap; mmap, which malloc uses for large blocks and which places thread stacks and shared libraries, takes a free gap (by default below the last one, going down) unless given an address; munmap removes a range. An address in no VMA is SEGV_MAPERR, whatever the page table holds. Only the stack VMA grows by itself, on a fault just below it.",
			KO: "b입니다. 프로세스가 쓸 수 있는 주소는 VMA 목록(/proc/PID/maps)입니다. exec가 텍스트, 데이터, 힙, 스택 영역을 만들고, brk가 힙을 늘리거나 줄이며, mmap은 주소를 지정하지 않으면 빈 구간을 찾아(기본은 위에서 아래로) 영역을 추가합니다. malloc의 큰 블록, 스레드 스택, 공유 라이브러리가 이렇게 mmap으로 들어옵니다. munmap은 구간을 없앱니다. 어떤 VMA에도 없는 주소는 페이지 테이블에 무엇이 있든 SEGV_MAPERR입니다. 저절로 자라는 것은 스택 VMA뿐이며, 바로 아래에서 폴트가 날 때 자랍니다."},
		read: Text{EN: "exercises/11-mmap-vmas/README.md, “The address space is a list of areas”", KO: "exercises/11-mmap-vmas/README.ko.md, “주소 공간은 영역들의 목록이다”"},
	},
	{
		topic:  "pagetable",
		notes:  []string{"c-multilevel"},
		prompt: Text{EN: "Why is the x86-64 page table a tree of 4 (or 5) levels rather than one flat table?", KO: "x86-64의 페이지 테이블은 왜 평평한 표 하나가 아니라 4(또는 5)단계 트리일까요?"},
		answer: OneOf{Options: choices(
			Text{EN: "a tree is faster to look up than an array", KO: "트리가 배열보다 빨리 찾아져서"},
			Text{EN: "a flat table needs an entry for every virtual page, used or not; a tree has table pages only under used regions", KO: "평평한 표는 쓰든 안 쓰든 가상 페이지마다 엔트리가 필요하지만, 트리는 쓰는 영역 아래에만 테이블 페이지가 있어서"},
			Text{EN: "to address more physical memory", KO: "더 많은 물리 메모리를 주소 지정하려고"}), Want: 1},
		explain: Text{EN: "b. With 48-bit addresses and 4 KiB pages a flat table is 2^36 entries × 8 bytes = 512 GiB per process; a small process's tree takes a handful of 4 KiB pages, because a table exists only where some page below it is mapped. The price is a slower miss, one memory read per level, which the TLB and the walker's caches of upper-level entries hide.",
			KO: "b입니다. 48비트 주소와 4 KiB 페이지라면 평평한 표는 프로세스마다 2^36 엔트리 × 8바이트 = 512 GiB입니다. 트리는 그 아래에 매핑된 페이지가 있을 때만 테이블이 생기므로, 작은 프로세스라면 4 KiB 페이지 몇 장이면 됩니다. 대가는 미스가 느려진다는 것(단계마다 메모리 읽기 한 번)인데, TLB와 워커가 상위 단계 엔트리를 담아 두는 캐시가 이를 가려 줍니다."},
		read: Text{EN: "exercises/03-multilevel-walk/README.md, “The concept”", KO: "exercises/03-multilevel-walk/README.ko.md, “개념”"},
	},
	{
		topic:  "pagetable",
		notes:  []string{"c-single-level"},
		prompt: Text{EN: "O or X: where performance matters, systems use a single-level page table instead of a multi-level one.", KO: "O/X: 성능이 중요한 시스템에서는 다단계 대신 단일 단계 페이지 테이블을 쓴다."},
		answer: OX(false),
		explain: Text{EN: "X. On x86-64 the table's format belongs to the hardware; the OS cannot pick a flat one. It uses huge pages instead: a PD entry maps 2 MiB directly (a PDPT entry, 1 GiB), which skips the last level of the walk and lets one TLB entry cover 512 times more; and PCIDs, so a context switch need not flush the TLB. Linux's transparent huge pages back an aligned 2 MiB range with a huge page only when THP is on for it (the \"always\" setting, or \"madvise\" and the program asked with madvise(MADV_HUGEPAGE); a JVM asks with -XX:+UseTransparentHugePages). The study notes say pages are merged into 2 MiB huge pages automatically in write-heavy workloads: it depends on that setting and on alignment, not on how much the program writes.",
			KO: "X. x86-64에서 페이지 테이블의 형식은 하드웨어가 정하므로 OS가 평평한 표를 고를 수 없습니다. 대신 휴즈 페이지를 씁니다. PD 엔트리 하나가 2 MiB를(PDPT 엔트리라면 1 GiB를) 바로 매핑하므로 워크의 마지막 단계를 건너뛰고, TLB 엔트리 하나가 512배 넓은 범위를 덮습니다. 그리고 PCID를 써서 문맥 교환 때 TLB를 비우지 않습니다. 리눅스의 투명 휴즈 페이지(THP)는 그 영역에 THP가 켜져 있을 때만 정렬된 2 MiB 구간을 휴즈 페이지로 채웁니다(\"always\" 설정이거나, \"madvise\" 설정에서 프로그램이 madvise(MADV_HUGEPAGE)로 요청한 경우. JVM은 -XX:+UseTransparentHugePages로 요청합니다). 학습 노트에는 쓰기가 많은 워크로드에서 자동으로 2 MiB 휴즈 페이지로 병합된다고 되어 있는데, 이는 그 설정과 정렬에 달린 일이지 프로그램이 얼마나 쓰는지와는 관계가 없습니다."},
		read: Text{EN: "exercises/03-multilevel-walk/README.md, “The concept”", KO: "exercises/03-multilevel-walk/README.ko.md, “개념”"},
	},
	{
		topic:  "mmu",
		notes:  []string{"c-kernel-in-process"},
		prompt: Text{EN: "O or X: mapping the kernel into the top of every process's address space costs each process the memory of its own copy of the kernel.", KO: "O/X: 모든 프로세스 주소 공간의 위쪽에 커널을 매핑하면, 프로세스마다 커널 사본만큼의 메모리가 든다."},
		answer: OX(false),
		explain: Text{EN: "X. It uses virtual addresses only, and on 64-bit there are plenty (the kernel has its own 128 TiB half). Every process's top-level table points to the same kernel tables below it, so the kernel's frames and nearly all of its table pages exist once. A separate kernel address space would instead cost a CR3 switch on every system call, interrupt and return, and without PCIDs the TLB with it. 32-bit Linux once offered such a 4G/4G split and it was markedly slower; KPTI brought part of that cost back, for Meltdown's sake.",
			KO: "X. 쓰는 것은 가상 주소뿐이고, 64비트에서는 가상 주소가 넉넉합니다(커널이 128 TiB인 위쪽 절반을 따로 씁니다). 모든 프로세스의 최상위 테이블이 같은 커널 하위 테이블들을 가리키므로, 커널의 프레임과 테이블 페이지는 거의 전부 하나씩만 있습니다. 커널에 별도의 주소 공간을 주면 오히려 시스템 콜, 인터럽트, 복귀 때마다 CR3를 바꿔야 하고, PCID가 없으면 TLB도 그때마다 비워집니다. 32비트 리눅스에 그런 4G/4G 분할 옵션이 있었는데 눈에 띄게 느렸습니다. KPTI는 멜트다운 때문에 그 비용의 일부를 다시 치르는 것입니다."},
		read: questions("05-mmu", "Questions you can now answer", "이제 답할 수 있는 질문들"),
	},
}

func newConcept(r *rand.Rand) (Item, error) {
	c := concepts[r.IntN(len(concepts))]
	return Item{Topic: c.topic, Prompt: c.prompt, Answer: c.answer, Solution: c.explain, Read: c.read}, nil
}

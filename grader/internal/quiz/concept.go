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
	topic   string // the catalog topic it is scored under
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
		prompt: Text{EN: "O or X: a process's page table is stored in its PCB.", KO: "O/X: 프로세스의 페이지 테이블은 PCB 안에 저장된다."},
		answer: OX(false),
		explain: Text{EN: "X. The page table is data in ordinary physical frames (a tree of them on x86-64). The PCB (Linux's mm_struct) holds only the physical address of its root, which the kernel writes into CR3 when the process runs.",
			KO: "X. 페이지 테이블은 평범한 물리 프레임에 들어 있는 데이터입니다(x86-64에서는 프레임들의 트리). PCB(리눅스의 mm_struct)에는 그 루트의 물리 주소만 있고, 프로세스가 실행될 때 커널이 그 값을 CR3에 씁니다."},
		read: questions("02-linear-page-table", "Questions you can now answer", "이제 답할 수 있는 질문들"),
	},
	{
		topic:  "tlb",
		prompt: Text{EN: "O or X: on a context switch the TLB is saved in the PCB and restored when the process runs again.", KO: "O/X: 문맥 교환 때 TLB는 PCB에 저장되었다가 프로세스가 다시 실행될 때 복원된다."},
		answer: OX(false),
		explain: Text{EN: "X. The TLB is per-CPU hardware inside the MMU, like a cache: it is never saved or restored. Loading the new root into CR3 drops the non-global entries (without PCIDs), or keeps them tagged by PCID so a returning process may still hit.",
			KO: "X. TLB는 MMU 안에 있는 CPU별 하드웨어로, 캐시처럼 저장하거나 복원하지 않습니다. 새 루트를 CR3에 쓰면 (PCID가 없을 때) 전역이 아닌 엔트리가 비워지고, PCID가 있으면 태그가 붙은 채 남아 있어 돌아온 프로세스가 다시 히트할 수도 있습니다."},
		read: questions("04-tlb", "Questions you can now answer", "이제 답할 수 있는 질문들"),
	},
	{
		topic:  "tlb",
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
		prompt: Text{EN: "O or X: the kernel's translations, being global, always stay in the TLB.", KO: "O/X: 커널 영역의 변환은 전역(G)이므로 TLB에 항상 올라가 있다."},
		answer: OX(false),
		explain: Text{EN: "X. A global entry survives CR3 loads (context switches), but it is not pinned: LRU evicts it like any other entry. And with KPTI, Linux stops marking most kernel pages global, because a global kernel entry would survive into user mode.",
			KO: "X. 전역 엔트리는 CR3 적재(문맥 교환)에서 살아남을 뿐 고정되어 있지는 않습니다. LRU가 다른 엔트리처럼 내보낼 수 있습니다. 또 KPTI를 쓰면 리눅스는 커널 페이지 대부분에 전역 표시를 하지 않습니다. 전역 커널 엔트리는 사용자 모드까지 살아남기 때문입니다."},
		read: questions("04-tlb", "Questions you can now answer", "이제 답할 수 있는 질문들"),
	},
	{
		topic:  "tlb",
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
		prompt: Text{EN: "O or X: a program that reads a file mapping past the end of the file gets SIGSEGV.", KO: "O/X: 파일 매핑에서 파일 끝을 넘어 읽으면 SIGSEGV를 받는다."},
		answer: OX(false),
		explain: Text{EN: "X. The mapping is valid, so it is no segmentation fault. Bytes past the end inside the file's last page read as zeros, with no signal; a page with no byte of the file in it raises SIGBUS (BUS_ADRERR). The study notes say SIGSEGV here: that is wrong.",
			KO: "X. 매핑 자체는 유효하므로 세그멘테이션 폴트가 아닙니다. 파일의 마지막 페이지 안에서 끝을 넘은 바이트는 0으로 읽히고 시그널도 없습니다. 파일 내용이 한 바이트도 없는 페이지에 접근하면 SIGBUS(BUS_ADRERR)입니다. 학습 노트에는 이 경우 SIGSEGV가 난다고 되어 있는데, 틀린 말입니다."},
		read: Text{EN: "exercises/09-demand-paging/README.md, “Signals: SEGV_MAPERR, SEGV_ACCERR, SIGBUS”", KO: "exercises/09-demand-paging/README.ko.md, “시그널: SEGV_MAPERR, SEGV_ACCERR, SIGBUS”"},
	},
	{
		topic:  "fault",
		prompt: Text{EN: "O or X: a page fault happens only when the page is not in memory.", KO: "O/X: 페이지 폴트는 페이지가 메모리에 없을 때만 일어난다."},
		answer: OX(false),
		explain: Text{EN: "X. A present page faults too when the PTE lacks a permission the access needs: a write to a copy-on-write or zero page (the kernel copies it and goes on), or an access the VMA forbids (SIGSEGV, SEGV_ACCERR). The x86 error code's P bit tells the two kinds apart.",
			KO: "X. 페이지가 있어도 PTE에 접근에 필요한 권한이 없으면 폴트가 납니다. copy-on-write 페이지나 제로 페이지에 쓰는 경우(커널이 복사하고 계속 진행)나, VMA가 허용하지 않는 접근(SIGSEGV, SEGV_ACCERR)이 그렇습니다. x86 오류 코드의 P 비트로 두 종류를 구별합니다."},
		read: Text{EN: "exercises/09-demand-paging/README.md, “What a fault can find”", KO: "exercises/09-demand-paging/README.ko.md, “폴트가 만나는 경우들”"},
	},
	{
		topic:  "heap",
		prompt: Text{EN: "O or X: brk marks the new heap pages in the page table as valid but not yet backed by frames.", KO: "O/X: brk는 늘린 힙 페이지를 페이지 테이블에 \"유효하지만 아직 프레임 없음\"으로 표시해 둔다."},
		answer: OX(false),
		explain: Text{EN: "X. brk changes only the VMA list: the heap VMA grows. The page table is not touched; the first access to a page faults, the handler finds the heap VMA, and only then is a PTE written. The study notes say the kernel marks the range in the page table: it does not.",
			KO: "X. brk는 VMA 목록만 바꿉니다(힙 VMA가 커짐). 페이지 테이블은 건드리지 않습니다. 어떤 페이지에 처음 접근하면 폴트가 나고, 핸들러가 힙 VMA를 찾은 다음에야 PTE가 기록됩니다. 학습 노트에는 커널이 그 구간을 페이지 테이블에 표시해 둔다고 되어 있는데, 그렇지 않습니다."},
		read: Text{EN: "exercises/12-heap-stack/README.md, “brk(2): the program break”", KO: "exercises/12-heap-stack/README.ko.md, “brk(2): 프로그램 브레이크”"},
	},
	{
		topic:  "cow",
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
		prompt: Text{EN: "O or X: Linux reclaims pages with the CLOCK-Pro algorithm.", KO: "O/X: 리눅스는 CLOCK-Pro 알고리즘으로 페이지를 회수한다."},
		answer: OX(false),
		explain: Text{EN: "X. Linux keeps two LRU lists, active and inactive, and took one idea of CLOCK-Pro (remembering recently evicted pages to spot refaults); since 6.1 it can use the multi-generation LRU instead. CLOCK-Pro itself was proposed for Linux but never merged. The study notes say Linux uses CLOCK-Pro: that is not so.",
			KO: "X. 리눅스는 active/inactive 두 LRU 리스트를 쓰고, CLOCK-Pro의 아이디어 하나(최근 쫓겨난 페이지를 기억해 다시 폴트가 나는 것을 알아보기)를 받아들였습니다. 6.1부터는 다세대 LRU(MGLRU)를 쓸 수도 있습니다. CLOCK-Pro 자체는 리눅스에 제안되었지만 병합되지 않았습니다. 학습 노트에는 리눅스가 CLOCK-Pro를 쓴다고 되어 있는데, 그렇지 않습니다."},
		read: Text{EN: "exercises/07-clock/README.md, “How Linux really does it”", KO: "exercises/07-clock/README.ko.md, “리눅스는 실제로 어떻게 하나”"},
	},
	{
		topic:  "replacement",
		prompt: Text{EN: "Which of these can show Belady's anomaly (more frames, more faults)?", KO: "다음 중 벨레이디의 모순(프레임을 늘렸는데 폴트가 늘어남)이 생길 수 있는 것은?"},
		answer: OneOf{Options: choices(
			Text{EN: "LRU", KO: "LRU"}, Text{EN: "OPT", KO: "OPT"}, Text{EN: "FIFO", KO: "FIFO"}), Want: 2},
		explain: Text{EN: "FIFO. LRU and OPT are stack algorithms: the pages they keep with k frames are always among those they keep with k+1, so more memory never faults more. FIFO's resident sets have no such inclusion.",
			KO: "FIFO입니다. LRU와 OPT는 스택 알고리즘이라 프레임 k개일 때 남기는 페이지가 언제나 k+1개일 때 남기는 페이지에 포함되므로, 메모리를 늘려서 폴트가 늘 수 없습니다. FIFO의 적재 집합에는 그런 포함 관계가 없습니다."},
		read: Text{EN: "exercises/06-fifo-lru-opt/README.md, “Stack algorithms: why LRU and OPT never show the anomaly”", KO: "exercises/06-fifo-lru-opt/README.ko.md, “스택 알고리즘: LRU와 OPT에는 왜 모순이 없나”"},
	},
	{
		topic:  "mmu",
		prompt: Text{EN: "O or X: on 64-bit, a process can use as much memory as the disk holds, only more slowly.", KO: "O/X: 64비트에서는 느려질 뿐, 디스크 크기만큼 메모리를 쓸 수 있다."},
		answer: OX(false),
		explain: Text{EN: "X. The address space is large (128 TiB of user space with 4-level paging), but what can be backed is RAM plus swap, not the disk, and the kernel's overcommit policy and the OOM killer stop a process long before. Past the working set it thrashes: with EAT = (1-p)·mem + p·fault, a fault rate of 1% makes memory about 400 times slower.",
			KO: "X. 주소 공간은 넓지만(4단계 페이징에서 사용자 공간 128 TiB) 실제로 뒷받침할 수 있는 것은 디스크가 아니라 RAM과 스왑이고, 그 전에 커널의 오버커밋 정책과 OOM 킬러가 프로세스를 멈춥니다. 워킹셋을 넘으면 스래싱이 일어납니다. EAT = (1-p)·메모리 + p·폴트에서 폴트율이 1%면 메모리가 약 400배 느려집니다."},
		read: questions("05-mmu", "Questions you can now answer", "이제 답할 수 있는 질문들"),
	},
}

func newConcept(r *rand.Rand) (Item, error) {
	c := concepts[r.IntN(len(concepts))]
	return Item{Topic: c.topic, Prompt: c.prompt, Answer: c.answer, Solution: c.explain, Read: c.read}, nil
}

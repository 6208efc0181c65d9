// Package ostep reads the problems printed by the paging homework
// simulators of Operating Systems: Three Easy Pieces (OSTEP,
// github.com/remzi-arpacidusseau/ostep-homework) and solves them:
//
//   - paging-linear-translate.py (vm-paging): a linear page table of 32-bit
//     entries, the top bit valid and the rest the frame number;
//   - paging-multilevel-translate.py (vm-smalltables): 15-bit addresses,
//     32-byte pages, a page directory and page tables of one-byte entries,
//     the top bit valid and the low 7 bits a frame number.
//
// Parse the text a simulator prints without -c, then Solve prints the
// answers exactly as the simulator prints them with -c, so a student can
// check their work:
//
//	p, err := ostep.ParseMultilevel(f, "problem.txt")
//	if err != nil { … }        // a *ParseError names the line
//	err = p.Solve(os.Stdout)   // "Virtual Address 0x6c74:" and the walk, per address
package ostep

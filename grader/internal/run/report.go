package run

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/vmkata/vmkata/catalog"
)

// suiteReport is what the grader reads from a Ginkgo JSON report.
type suiteReport struct {
	suite string // the suite's description, as given to RunSpecs
	specs []Spec // in run order
}

// readReport parses a Ginkgo JSON report, with locations relative to root.
// It reports false if the file is missing or not a report.
func readReport(path, root string) (suiteReport, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return suiteReport{}, false
	}
	var reports []types.Report
	if err := json.Unmarshal(data, &reports); err != nil {
		return suiteReport{}, false
	}
	var out suiteReport
	for _, r := range reports {
		out.suite = r.SuiteDescription
		for _, sr := range r.SpecReports {
			if sr.LeafNodeType != types.NodeTypeIt {
				if sr.State.Is(types.SpecStateFailureStates) {
					// A failing BeforeSuite or similar fails the whole suite.
					out.specs = append(out.specs, Spec{Name: sr.LeafNodeType.String(), State: sr.State.String(),
						Failure: failureText(sr), Location: relative(root, sr.Failure.Location)})
				}
				continue
			}
			labels := sr.Labels()
			s := Spec{
				Name:     sr.FullText(),
				Labels:   labels,
				Points:   pointsOf(labels),
				State:    sr.State.String(),
				Duration: sr.RunTime,
			}
			for _, e := range sr.ReportEntries {
				if e.Name == NoteEntry {
					s.Notes = append(s.Notes, e.StringRepresentation())
				}
			}
			if sr.State.Is(types.SpecStateFailureStates) {
				s.Failure = failureText(sr)
				s.Location = relative(root, sr.Failure.Location)
				if strings.HasPrefix(s.Location, "grader/sealed/") {
					// A panic of the learner's code, raised again where the
					// judge received it: the spec is the place to look.
					s.Location = relative(root, sr.LeafNodeLocation)
				}
			} else if why := strings.TrimSpace(sr.Failure.Message); sr.State == types.SpecStateSkipped && why != "" {
				// A spec that skipped itself (the machine cannot show what
				// it checks) earns nothing, and says why.
				s.Failure = "skipped, not earned: " + why
			} else if sr.State != types.SpecStatePassed {
				s.Failure = "not run: " + sr.State.String()
			}
			out.specs = append(out.specs, s)
		}
	}
	return out, true
}

// relative prints a code location as path:line relative to the kit: a
// judge built with -trimpath names the kit's files by import path, one
// built without by absolute path under root.
func relative(root string, loc types.CodeLocation) string {
	if rel, ok := strings.CutPrefix(loc.FileName, catalog.Module+"/"); ok {
		return fmt.Sprintf("%s:%d", rel, loc.LineNumber)
	}
	if rel, err := filepath.Rel(root, loc.FileName); err == nil && !strings.HasPrefix(rel, "..") {
		return fmt.Sprintf("%s:%d", filepath.ToSlash(rel), loc.LineNumber)
	}
	return loc.String()
}

// failureText is what a learner reads: the failure message, the panic if
// any, and what the spec logged (rapid's shrunk operation sequence).
func failureText(sr types.SpecReport) string {
	var b strings.Builder
	msg := strings.TrimSpace(sr.Failure.Message)
	const maxMessage = 16 << 10
	if len(msg) > maxMessage {
		msg = msg[:maxMessage] + "\n…"
	}
	b.WriteString(msg)
	if sr.Failure.ForwardedPanic != "" {
		b.WriteString("\npanic: " + sr.Failure.ForwardedPanic)
	}
	if logged := strings.TrimSpace(sr.CapturedGinkgoWriterOutput); logged != "" {
		const max = 6000
		if len(logged) > max {
			logged = logged[:max] + "\n…"
		}
		b.WriteString("\n" + logged)
	}
	return b.String()
}

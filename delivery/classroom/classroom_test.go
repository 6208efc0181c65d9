// Package classroom holds the GitHub Classroom workflow (classroom.yml);
// its test checks the workflow's wiring against what Classroom's grading
// reporter reads.
package classroom

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

type workflow struct {
	Name        string            `yaml:"name"`
	On          []string          `yaml:"on"`
	Permissions map[string]string `yaml:"permissions"`
	Jobs        map[string]struct {
		RunsOn string `yaml:"runs-on"`
		If     string `yaml:"if"`
		Steps  []step `yaml:"steps"`
	} `yaml:"jobs"`
}

type step struct {
	Name             string            `yaml:"name"`
	ID               string            `yaml:"id"`
	Uses             string            `yaml:"uses"`
	With             map[string]string `yaml:"with"`
	Env              map[string]string `yaml:"env"`
	Run              string            `yaml:"run"`
	WorkingDirectory string            `yaml:"working-directory"`
}

const reporter = "classroom-resources/autograding-grading-reporter@v1"

// runnerID is the pattern the reporter accepts in its runners input.
var runnerID = regexp.MustCompile(`^[a-zA-Z0-9]+$`)

func load(t *testing.T) []step {
	t.Helper()
	data, err := os.ReadFile("classroom.yml")
	require.NoError(t, err)
	var wf workflow
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	require.NoError(t, dec.Decode(&wf))
	assert.Contains(t, wf.On, "push")
	assert.Equal(t, "read", wf.Permissions["contents"])
	require.Len(t, wf.Jobs, 1)
	for _, job := range wf.Jobs {
		assert.Equal(t, "ubuntu-latest", job.RunsOn)
		assert.Equal(t, "github.actor != 'github-classroom[bot]'", job.If, "Classroom's own commit to a new repository is not graded")
		return job.Steps
	}
	return nil
}

// expression normalizes a ${{ … }} expression's spacing.
func expression(s string) string {
	return strings.Join(strings.Fields(strings.NewReplacer("${{", "${{ ", "}}", " }}").Replace(s)), " ")
}

func TestWorkflowWiring(t *testing.T) {
	steps := load(t)
	require.NotEmpty(t, steps)
	last := steps[len(steps)-1]
	require.Equal(t, reporter, last.Uses, "the reporter is the last step")

	// Checkouts and Go come first: the submission, the kit, Go from the kit's go.mod.
	paths := map[string]step{}
	for _, s := range steps {
		if strings.HasPrefix(s.Uses, "actions/checkout@") {
			paths[s.With["path"]] = s
		}
	}
	require.Contains(t, paths, "submission")
	require.Contains(t, paths, "kit")
	assert.Empty(t, paths["submission"].With["repository"], "the submission is the student's repository")
	assert.NotEmpty(t, paths["kit"].With["repository"], "the kit is the instructor's")

	ids := map[string]int{}
	for i, s := range steps {
		if s.ID != "" {
			require.NotContains(t, ids, s.ID, "step ids are unique")
			ids[s.ID] = i
		}
		if strings.HasPrefix(s.Uses, "actions/setup-go@") {
			assert.Equal(t, "kit/go.mod", s.With["go-version-file"])
		}
	}

	// Every runner the reporter names is an earlier step, passed in
	// <ID>_RESULTS as that step's result output; nothing else is passed.
	runners := strings.Split(last.With["runners"], ",")
	require.NotEmpty(t, runners)
	want := map[string]string{}
	for _, r := range runners {
		r = strings.TrimSpace(r)
		require.Regexp(t, runnerID, r, "the reporter accepts only letters and digits in a runner id")
		i, ok := ids[r]
		require.True(t, ok, "runner %q is no step's id", r)
		require.Less(t, i, len(steps)-1)
		want[strings.ToUpper(r)+"_RESULTS"] = fmt.Sprintf("${{ steps.%s.outputs.result }}", r)

		run := steps[i]
		assert.Equal(t, "kit", run.WorkingDirectory, "the grader runs from the trusted kit")
		assert.Contains(t, run.Run, `go run ./grader --submission "$GITHUB_WORKSPACE/submission" --format classroom -o `)
		assert.Contains(t, run.Run, `>> "$GITHUB_OUTPUT"`)
	}
	got := map[string]string{}
	for k, v := range last.Env {
		got[k] = expression(v)
	}
	assert.Equal(t, want, got)
}

// sample is a runner result as the grader's classroom format writes it:
// one test per spec, scored in points.
const sample = `{"version":1,"status":"fail","max_score":4,"tests":[` +
	`{"name":"04-tlb: a hit","status":"pass","score":1,"max_score":1,"message":"","test_code":"","filename":"","line_no":0},` +
	`{"name":"04-tlb: ASIDs","status":"fail","score":0,"max_score":3,"message":"want miss","test_code":"","filename":"","line_no":0}]}` + "\n"

// The runner step's script, run by bash as Actions runs it with a
// stand-in go that writes sample, sets an output the reporter decodes into
// the grader's result: base64 of the JSON, on one line, named result.
func TestRunnerStepOutput(t *testing.T) {
	var run step
	for _, s := range load(t) {
		if s.ID == "vmkata" {
			run = s
		}
	}
	require.NotEmpty(t, run.Run)

	tmp := t.TempDir()
	bin, workspace, runnerTemp := filepath.Join(tmp, "bin"), filepath.Join(tmp, "workspace"), filepath.Join(tmp, "runner")
	for _, d := range []string{bin, filepath.Join(workspace, "kit"), runnerTemp} {
		require.NoError(t, os.MkdirAll(d, 0o755))
	}
	require.NoError(t, os.WriteFile(filepath.Join(tmp, "sample.json"), []byte(sample), 0o644))
	// The stand-in go records its arguments and copies sample to its -o file.
	goStub := `#!/bin/sh
echo "$@" > "` + tmp + `/args"
while [ $# -gt 0 ]; do
	if [ "$1" = "-o" ]; then cp "` + tmp + `/sample.json" "$2"; fi
	shift
done
`
	require.NoError(t, os.WriteFile(filepath.Join(bin, "go"), []byte(goStub), 0o755))
	script := filepath.Join(tmp, "step.sh")
	require.NoError(t, os.WriteFile(script, []byte(run.Run), 0o644))
	output := filepath.Join(tmp, "github_output")

	cmd := exec.Command("bash", "-e", script) // Actions' default shell on Linux
	cmd.Dir = filepath.Join(workspace, run.WorkingDirectory)
	cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "GITHUB_WORKSPACE="+workspace,
		"RUNNER_TEMP="+runnerTemp, "GITHUB_OUTPUT="+output)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)

	args, err := os.ReadFile(filepath.Join(tmp, "args"))
	require.NoError(t, err)
	assert.Equal(t, "run ./grader --submission "+workspace+"/submission --format classroom -o "+runnerTemp+"/vmkata.json\n", string(args))

	lines, err := os.ReadFile(output)
	require.NoError(t, err)
	encoded, ok := strings.CutPrefix(strings.TrimSuffix(string(lines), "\n"), "result=")
	require.True(t, ok, "GITHUB_OUTPUT: %q", lines)
	require.NotContains(t, encoded, "\n", "one line")
	decoded, err := base64.StdEncoding.DecodeString(encoded)
	require.NoError(t, err)
	assert.Equal(t, sample, string(decoded))

	// What the reporter does with it: Classroom gets the sum of the
	// tests' scores over max_score.
	var result struct {
		MaxScore float64 `json:"max_score"`
		Tests    []struct {
			Score float64 `json:"score"`
		} `json:"tests"`
	}
	require.NoError(t, json.Unmarshal(decoded, &result))
	total := 0.0
	for _, tc := range result.Tests {
		total += tc.Score
	}
	assert.Equal(t, 1.0, total)
	assert.Equal(t, 4.0, result.MaxScore)
}

package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCLIUsageErrorsExitTwo(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"--format", "yaml"}, `unknown format "yaml"`},
		{[]string{"--exercise", "99"}, `no exercise "99"`},
		{[]string{"--no-such-flag"}, "flag provided but not defined"},
		{[]string{"grade", "extra"}, `unexpected argument "extra"`},
		{[]string{"selfcheck", "--seeds", "0"}, "--seeds 0: want at least 1"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := cli(context.Background(), tt.args, &stdout, &stderr)
		assert.Equal(t, 2, code, "grader %v: exit status", tt.args)
		assert.Contains(t, stderr.String(), tt.want, "grader %v: message", tt.args)
	}
}

func TestCLIList(t *testing.T) {
	t.Setenv("LC_ALL", "C") // English
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 0, cli(context.Background(), []string{"list"}, &stdout, &stderr))
	assert.Contains(t, stdout.String(), "04-tlb")
	assert.Contains(t, stdout.String(), "(after 01-address-split)")
}

package main

import (
	"errors"
	"io"
	"os"

	"github.com/vmkata/vmkata/grader/internal/quiz"
)

// quizCommand runs "grader quiz", reading answers from standard input.
func quizCommand(args []string, stdout io.Writer) error {
	err := quiz.Main(args, os.Stdin, stdout)
	var ue quiz.UsageError
	if errors.As(err, &ue) {
		return usageError{ue.Msg}
	}
	return err
}

package cli

import (
	"context"
	"errors"
	"fmt"

	"wxacode/batch"
)

// Exit codes are a contract with scripts: keep them.
const (
	exitOK          = 0
	exitUnexpected  = 1
	exitUsage       = 2 // bad flags, invalid request: nothing was called
	exitAPI         = 3 // WeChat (or the simulator) answered with an errcode
	exitBad         = 4 // verify: a copy is not the code (truncated, differs, stale, …)
	exitInterrupted = 130
)

// exitError ends a run with code. msg, when not empty, is the whole report for
// stderr (each line already names the command, "wxacode get: …"); without one
// the command has reported on stdout or stderr itself and only the code is left.
type exitError struct {
	code int
	msg  string
	err  error // the cause, for errors.Is and errors.As
}

func (e *exitError) Error() string {
	switch {
	case e.msg != "":
		return e.msg
	case e.err != nil:
		return e.err.Error()
	}
	return fmt.Sprintf("exit status %d", e.code)
}

func (e *exitError) Unwrap() error { return e.err }

// fail is an exitError with its report.
func fail(code int, format string, a ...any) error {
	return &exitError{code: code, msg: fmt.Sprintf(format, a...)}
}

// usageErrorf is a usage or validation problem: nothing was called.
func usageErrorf(format string, a ...any) error { return fail(exitUsage, format, a...) }

// reported ends the run with code after the command printed what happened.
func reported(code int) error {
	if code == exitOK {
		return nil
	}
	return &exitError{code: code}
}

// exitCode is the one mapping from what a run returned to its exit status.
// An error that is none of ours is unexpected, unless it is an interruption.
func exitCode(err error) int {
	var ee *exitError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, new(*batch.InputError)):
		return exitUsage // an unusable input or --name: nothing was called
	case errors.As(err, new(*batch.StopError)):
		return exitAPI // WeChat's answers stopped the run
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	}
	return exitUnexpected
}

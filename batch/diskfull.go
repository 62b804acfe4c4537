package batch

import (
	"errors"
	"fmt"
	"syscall"
)

// DiskFullError means the output folder's disk filled up: the run stopped
// at once instead of spending a call on every row left.
type DiskFullError struct {
	Out             string
	Failed, Pending int
	Err             error
}

// Error says what stopped the run, what happened to its rows, and the way out.
func (e *DiskFullError) Error() string {
	return fmt.Sprintf("the disk holding %s is full (%v): stopped with %d row(s) unfinished and %d failed; none of them is in the manifest and the previous failed file is kept, so free some space and run the same command again to do them",
		e.Out, e.Err, e.Pending, e.Failed)
}

// Unwrap is the write error.
func (e *DiskFullError) Unwrap() error { return e.Err }

// diskFull tells ENOSPC (and a quota's EDQUOT) from other write errors.
func diskFull(err error) bool {
	return err != nil && (errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT))
}

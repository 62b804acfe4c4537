//go:build !unix

package testenv

import "errors"

func mkfifo(string) error { return errors.ErrUnsupported }

//go:build linux

package e2e

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal pair with the standard Linux calls
// (/dev/ptmx, unlock, number) and gives it a size in cells and pixels, so
// TIOCGWINSZ tells the program its cell size as a terminal window would.
func openPTY(cols, rows, cellW, cellH int) (master, slave *os.File, err error) {
	master, err = os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	fail := func(err error) (*os.File, *os.File, error) {
		master.Close()
		return nil, nil, err
	}
	// Control, not Fd: Fd would switch the master to blocking reads, which
	// Close could then not interrupt.
	raw, err := master.SyscallConn()
	if err != nil {
		return fail(err)
	}
	var n int
	cerr := raw.Control(func(u uintptr) {
		fd := int(u)
		if err = unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
			err = fmt.Errorf("unlockpt: %w", err)
			return
		}
		if n, err = unix.IoctlGetInt(fd, unix.TIOCGPTN); err != nil {
			err = fmt.Errorf("ptsname: %w", err)
			return
		}
		ws := &unix.Winsize{Col: uint16(cols), Row: uint16(rows), Xpixel: uint16(cols * cellW), Ypixel: uint16(rows * cellH)}
		if err = unix.IoctlSetWinsize(fd, unix.TIOCSWINSZ, ws); err != nil {
			err = fmt.Errorf("set window size: %w", err)
		}
	})
	if cerr != nil {
		return fail(cerr)
	}
	if err != nil {
		return fail(err)
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fail(err)
	}
	return master, slave, nil
}

package blas

import (
	"runtime"
	"syscall"
	"time"
)

// threadCPU returns the CPU time the calling thread has used (the caller
// must hold its OS thread), which, unlike wall time, a busy machine does
// not inflate.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

var _ = runtime.LockOSThread

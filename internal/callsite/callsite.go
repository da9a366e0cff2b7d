// Package callsite finds the user's line in the stack: the file:line that
// gorgoflow's error texts name.
package callsite

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
)

// User returns file:line of the innermost caller outside the library (its
// examples, benchmarks and tests count as users), or the outermost frame's
// when every frame is the library's.
func User() string {
	pcs := make([]uintptr, 32)
	n := runtime.Callers(2, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	last := ""
	for {
		fr, more := frames.Next()
		if fr.Function != "" && !isLibraryFunc(fr.Function) {
			return filepath.Base(fr.File) + ":" + fmt.Sprint(fr.Line)
		}
		if fr.File != "" {
			last = filepath.Base(fr.File) + ":" + fmt.Sprint(fr.Line)
		}
		if !more {
			return last
		}
	}
}

const modulePath = "github.com/gorgoflow/gorgoflow/"

func isLibraryFunc(fn string) bool {
	if !strings.HasPrefix(fn, modulePath) {
		return false
	}
	rest := fn[len(modulePath):]
	// package path ends at the last '/' before the first '.' after it
	slash := strings.LastIndexByte(rest[:max(strings.IndexByte(rest, '.'), 0)], '/')
	pkgEnd := strings.IndexByte(rest[slash+1:], '.') + slash + 1
	pkg := rest[:pkgEnd]
	if strings.HasPrefix(pkg, "examples/") || strings.HasSuffix(pkg, "_test") || strings.HasPrefix(pkg, "bench") {
		return false
	}
	return true
}

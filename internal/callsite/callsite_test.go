package callsite_test

import (
	"fmt"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/gorgoflow/gorgoflow/internal/callsite/sitetest"
)

// here returns this file's base name and the line it is called on, the
// site each case must report: the case's call is on the same line.
func here() string {
	_, file, line, _ := runtime.Caller(1)
	return fmt.Sprintf("%s:%d", filepath.Base(file), line)
}

// TestUser checks that User names this file's line when the library
// functions it is called from are inlined here and call it from closures
// (go test -gcflags=-m shows "inlining call to sitetest.Closure" and
// friends for the lines below).
func TestUser(t *testing.T) {
	tests := []struct {
		name      string
		got, want string
	}{
		{"direct", sitetest.Direct(), here()},
		{"closure of an inlined function", sitetest.Closure(), here()},
		{"closure in a closure", sitetest.Nested(), here()},
		{"deferred closure", sitetest.Deferred(), here()},
		{"inlined chain", sitetest.Chain(), here()},
		{"method value", sitetest.Method(), here()},
		{"100 library frames deep", sitetest.Deep(100), here()},
		{"run by the standard library for the library", sitetest.Once(), here()},
		{"user's closure run by the library", sitetest.Build(func() string { return sitetest.Direct() }), here()},
		{"library closure run by the user's", sitetest.Build(func() string { return sitetest.Closure() }), here()},
	}
	_, self, _, _ := runtime.Caller(0)
	for _, tt := range tests {
		if tt.name == "run by the standard library for the library" && !filepath.IsAbs(self) {
			continue // -trimpath: the standard library's files are not told apart
		}
		if tt.got != tt.want {
			t.Errorf("%s: User() = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

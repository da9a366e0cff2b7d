// Package sitetest holds library functions for callsite's tests: small
// functions the compiler inlines into their callers, some of which call
// callsite.User from closures, deferred calls and method values, as
// gorgoflow's constructors do. They are library code (not _test.go files)
// so that User must skip them to reach the test's line.
package sitetest

import (
	"sync"

	"github.com/gorgoflow/gorgoflow/internal/callsite"
)

// Direct returns User's answer from the library function itself.
func Direct() string { return callsite.User() }

// Closure returns User's answer from a closure it hands to a function
// that is not inlined, so that the closure has a frame of its own. When
// Closure is inlined into its caller, Go names the closure after the
// caller (pkg.Caller.Closure.func1).
func Closure() string {
	return apply(func() string { return callsite.User() })
}

// Nested returns User's answer from a closure inside a closure.
func Nested() string {
	return apply(func() string {
		return apply(func() string { return Direct() })
	})
}

// Deferred returns User's answer from a deferred closure.
func Deferred() (site string) {
	defer func() { site = callsite.User() }()
	return ""
}

// Build passes body a site taken by a closure of its own, as a
// constructor running the user's build function does.
func Build(body func() string) string {
	return apply(func() string { return body() })
}

// Chain calls Closure through two more library functions.
func Chain() string { return chain1() }

func chain1() string { return Closure() }

// Method returns User's answer from a method value called by a function
// that is not inlined.
func Method() string {
	var r recorder
	return apply(r.site)
}

type recorder struct{}

func (recorder) site() string { return callsite.User() }

//go:noinline
func apply(f func() string) string { return f() }

// Deep returns User's answer from n library calls below the caller, more
// than User's first look at the stack holds.
func Deep(n int) string {
	if n == 0 {
		return callsite.User()
	}
	return Deep(n - 1)
}

// Once returns User's answer from a function run by the standard
// library (sync.Once) on the library's behalf.
func Once() (site string) {
	var once sync.Once
	once.Do(func() { site = callsite.User() })
	return site
}

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// runScript runs run.sh with stand-ins for ldconfig (no OpenBLAS), id (root),
// apt-get (records its arguments, then fails as a held dpkg lock does) and go
// (records that it ran) first on PATH, and returns run.sh's stderr and the
// stand-ins' log.
func runScript(t *testing.T, env ...string) (stderr, calls string) {
	t.Helper()
	bin := t.TempDir()
	log := filepath.Join(bin, "calls.log")
	fakes := map[string]string{
		"ldconfig": "exit 0",
		"id":       "echo 0",
		"apt-get": `echo "apt-get $*" >>` + log + `
echo "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (apt-get)" >&2
exit 100`,
		"go": `echo "go $*" >>` + log,
	}
	for name, body := range fakes {
		if err := os.WriteFile(filepath.Join(bin, name), []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("sh", "run.sh", "-epochs", "1")
	cmd.Env = append(os.Environ(), "PATH="+bin+":/usr/bin:/bin")
	cmd.Env = append(cmd.Env, env...)
	var errb strings.Builder
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("run.sh: %v\n%s", err, errb.String())
	}
	b, err := os.ReadFile(log)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return errb.String(), string(b)
}

// run.sh waits for dpkg's lock, shows apt's own error when the install fails,
// then runs the example on the pure-Go products all the same.
func TestRunShInstallFails(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	stderr, calls := runScript(t, "GORGOFLOW_BLAS=")
	if !strings.Contains(calls, "apt-get -o DPkg::Lock::Timeout=300 update") {
		t.Errorf("apt-get update does not wait for the dpkg lock; calls:\n%s", calls)
	}
	if !strings.Contains(stderr, "Could not get lock") {
		t.Errorf("apt's error is not shown; stderr:\n%s", stderr)
	}
	if !strings.Contains(calls, "go run ./examples/mnist_rnn -epochs 1") {
		t.Errorf("the example did not run after the failed install; calls:\n%s", calls)
	}
}

// With GORGOFLOW_BLAS=go (or gonum) the user asked for pure Go: nothing is
// installed.
func TestRunShPureGoInstallsNothing(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	for _, blas := range []string{"go", "gonum"} {
		stderr, calls := runScript(t, "GORGOFLOW_BLAS="+blas)
		if strings.Contains(calls, "apt-get") || strings.Contains(stderr, "OpenBLAS") {
			t.Errorf("GORGOFLOW_BLAS=%s: tried to install OpenBLAS; calls:\n%s\nstderr:\n%s", blas, calls, stderr)
		}
		if !strings.Contains(calls, "go run ./examples/mnist_rnn") {
			t.Errorf("GORGOFLOW_BLAS=%s: the example did not run; calls:\n%s", blas, calls)
		}
	}
}

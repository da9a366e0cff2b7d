package notebooks_test

import (
	"strings"
	"testing"
)

// The notebook test's runner keeps GoNB's semantics and fails where GoNB
// would: each case is a small notebook of code cells (stdlib only).
func TestRunCells(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds programs")
	}
	const (
		decls   = "import (\n\t\"fmt\"\n\t\"os\"\n)\n\nfunc f() int { return 1 }\n\n// g calls the f of the cell that runs.\nfunc g() int { return f() }\n"
		f2      = "func f() int { return 2 }\n"
		checkG1 = "%%\nif g() != 1 {\n\tfmt.Println(\"g() is\", g())\n\tos.Exit(1)\n}\n"
		checkG2 = "%%\nif g() != 2 {\n\tfmt.Println(\"g() is\", g())\n\tos.Exit(1)\n}\n"
	)
	for _, c := range []struct {
		name  string
		cells []string
		err   string // what the error says; "" for none
	}{
		{"replaced declarations", []string{
			decls, checkG1,
			f2, checkG2, // g, kept from the first cell, calls the new f
			"type T struct{ a int }\n\nfunc (t T) get() int { return t.a }\n",
			"%%\nif (T{a: 3}).get() != 3 {\n\tos.Exit(1)\n}\n",
			"type T struct{ b, c int }\n\nfunc (t T) get() int { return t.b + t.c }\n",
			"%%\nif (T{b: 3, c: 4}).get() != 7 {\n\tos.Exit(1)\n}\n",
		}, ""},
		{"a cell runs with the declarations of its time", []string{decls, f2, checkG1}, "exit status 1"},
		{"an earlier cell does not see a later declaration", []string{decls, "%%\nfmt.Println(later())\n", "func later() int { return 3 }\n"}, "undefined: later"},
		{"a cell's body is its main", []string{decls, "%%\nfmt.Println(1)\nreturn\nfmt.Println(2)\n"}, ""},
		{"a cell's own func main", []string{decls, "func main() {\n\tif g() != 1 {\n\t\tos.Exit(1)\n\t}\n}\n"}, ""},
		{"compile error", []string{decls, "%%\nx := 1\n"}, "declared and not used: x"},
		{"type error", []string{decls, "%%\nvar s string = f()\nfmt.Println(s)\n"}, "cannot use f()"},
		{"panic", []string{decls, "%%\npanic(\"boom\")\n"}, "panic: boom"},
		{"non-zero exit", []string{decls, "%%\nos.Exit(3)\n"}, "exit status 3"},
		{"panic in a declaration's initializer", []string{decls, "var v = func() int { panic(\"init\") }()\n"}, "panic: init"},
		{"a panic printed, recovered", []string{decls, "%%\nfmt.Fprintln(os.Stderr, \"panic: something\")\n"}, "run panicked"},
		{"%env and quick mode", []string{decls, "%env NOTEBOOK_TEST_VALUE 42\n%%\nif os.Getenv(\"NOTEBOOK_TEST_VALUE\") != \"42\" || os.Getenv(\"GORGOFLOW_NOTEBOOK_QUICK\") == \"\" {\n\tos.Exit(1)\n}\n"}, ""},
		{"%env is kept for later cells", []string{decls, "%env NOTEBOOK_TEST_VALUE 42\n", "%%\nif os.Getenv(\"NOTEBOOK_TEST_VALUE\") != \"42\" {\n\tos.Exit(1)\n}\n"}, ""},
		{"a later cell's error", []string{decls, checkG1, "%%\nos.Exit(4)\n", checkG1}, "cell 2:"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			index := make([]int, len(c.cells))
			for i := range index {
				index[i] = i
			}
			_, err := runCells(t, newRunner(t), index, c.cells)
			switch {
			case c.err == "" && err != nil:
				t.Errorf("the cells failed: %v", err)
			case c.err != "" && err == nil:
				t.Errorf("the cells ran, want an error with %q", c.err)
			case c.err != "" && !strings.Contains(err.Error(), c.err):
				t.Errorf("the error does not say %q:\n%v", c.err, err)
			}
		})
	}
}

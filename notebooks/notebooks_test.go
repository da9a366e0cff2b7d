package notebooks_test

// The notebook test runs every code cell of every notebook in this folder as
// GoNB runs it (https://github.com/janpfeifer/gonb, internal/goexec):
//
//   - the declarations of a cell (imports, types, functions, methods,
//     variables, constants) are kept for the cells after it; a later
//     declaration of the same name replaces the earlier one;
//   - a line "%%" (or "%main") starts the cell's body: what follows becomes
//     func main() { flag.Parse(); ... }, run for that cell only; a cell
//     without one compiles with an empty main;
//   - "%env NAME VALUE" sets an environment variable for the runs after it;
//     other "%" magics and "!" shell lines change nothing these notebooks
//     need and are skipped (each is logged with the reason); the first
//     cell's "!*go mod edit -replace" is what the test's own go.mod does;
//   - imports no code uses are dropped, as goimports does for GoNB.
//
// GoNB compiles and links one program per cell, its main.go in
// $GONB_TMP_DIR; linking takes a second or two a cell, minutes a notebook on
// a loaded machine. The test checks the same and links once a notebook:
//
//   - each cell's program, main.go as GoNB composes it for that cell, is
//     type-checked on its own (go/types, the compiler's checks before code
//     generation, reading the export data of the packages it imports, from
//     one `go list -export`): a cell that GoNB could not compile, using a
//     declaration of a later cell for instance, fails the test;
//   - one program then holds the notebook's declarations and every cell's
//     main, renamed gonbCell<index>; it is built once (in a module whose
//     go.mod replaces gorgoflow with this repository) and run once a cell,
//     each cell in a process of its own as in GoNB, in order, the cell
//     picked by $GORGOFLOW_NOTEBOOK_CELL, with GONB_TMP_DIR set. Where a
//     cell replaces a declaration, the cells before it and the cells from
//     it on are two such programs, so that each cell runs with the
//     declarations as of its time. The one difference from GoNB: a run
//     initializes the package-level variables of the later cells of its
//     program too.
//
// GoNB's display package is the stand-in in testdata/gonb (so that CI
// downloads nothing and needs no Jupyter; the notebooks also ran in a real
// GoNB kernel, see execute.sh and TestStoredOutputs). A cell fails the test
// if it does not compile, exits non-zero, or panics (TestRunCells checks
// these semantics on small notebooks). GORGOFLOW_NOTEBOOK_QUICK=1 is set so
// that training cells run short (the notebooks read it through their
// `quick` variable).
//
// The outputs stored in the notebooks (from a run in a real GoNB kernel,
// execute.sh) are not read: every code cell runs here whatever a notebook
// holds. With -full the training cells run in full.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

var full = flag.Bool("full", false, "run the training cells in full (GORGOFLOW_NOTEBOOK_QUICK unset)")

// notebook is the part of the .ipynb format (nbformat 4) the test reads and
// writes; other fields are kept as they are.
type notebook struct {
	Cells         []map[string]any `json:"cells"`
	Metadata      map[string]any   `json:"metadata"`
	NBFormat      int              `json:"nbformat"`
	NBFormatMinor int              `json:"nbformat_minor"`
}

func cellSource(c map[string]any) string { return joinText(c["source"]) }

// program holds the declarations kept across cells, in first-seen order.
type program struct {
	keys    []string
	decls   map[string]string
	imports map[string]string // import path -> spec ("name \"path\"" or "\"path\"")
	env     []string
}

func newProgram() *program {
	return &program{decls: map[string]string{}, imports: map[string]string{}}
}

// splitCell separates a cell into declarations and main body, handling
// GoNB's special lines.
func (p *program) splitCell(t *testing.T, src string) (decls, body string, hasMain bool) {
	var d, b strings.Builder
	inMain := false
	for _, line := range strings.Split(src, "\n") {
		trim := strings.TrimSpace(line)
		switch {
		case trim == "%%" || strings.HasPrefix(trim, "%main"):
			inMain = true
			d.WriteString("\n")
			continue
		case strings.HasPrefix(trim, "%env "):
			f := strings.Fields(trim)
			if len(f) >= 3 {
				p.env = append(p.env, f[1]+"="+strings.Join(f[2:], " "))
			}
			line = ""
		case strings.HasPrefix(trim, "!*go mod edit"):
			// The notebooks' first cell points GoNB's module at the
			// repository; the runner's go.mod does the same.
			line = ""
		case strings.HasPrefix(trim, "%") || strings.HasPrefix(trim, "!"):
			t.Logf("skipped %q: a GoNB magic or shell command that these notebooks do not need", trim)
			line = ""
		}
		if inMain {
			b.WriteString(line + "\n")
		} else {
			d.WriteString(line + "\n")
		}
	}
	return d.String(), b.String(), inMain
}

// clone returns a copy of p.
func (p *program) clone() *program {
	return &program{keys: slices.Clone(p.keys), decls: maps.Clone(p.decls), imports: maps.Clone(p.imports), env: slices.Clone(p.env)}
}

// addDecls parses a cell's declarations and keeps them, replacing earlier
// ones of the same name. A cell's own func main is returned, not kept.
// replaced reports whether an earlier declaration changed: a kept
// declaration or import replaced by a different one, or an import by a name
// another import had.
func (p *program) addDecls(src string) (mainFunc string, replaced bool, err error) {
	const header = "package main\n"
	full := header + src
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "cell.go", full, parser.ParseComments)
	if err != nil {
		return "", false, err
	}
	text := func(n ast.Node, doc *ast.CommentGroup) string {
		start := n.Pos()
		if doc != nil {
			start = doc.Pos()
		}
		return full[fset.Position(start).Offset:fset.Position(n.End()).Offset]
	}
	keep := func(key, s string) {
		if old, ok := p.decls[key]; !ok {
			p.keys = append(p.keys, key)
		} else if old != s {
			replaced = true
		}
		p.decls[key] = s
	}
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil && d.Name.Name == "main" {
				mainFunc = text(d, d.Doc)
				continue
			}
			key := "func " + d.Name.Name
			if d.Recv != nil && len(d.Recv.List) > 0 {
				key = "method " + recvType(d.Recv.List[0].Type) + "." + d.Name.Name
			}
			keep(key, text(d, d.Doc))
		case *ast.GenDecl:
			switch d.Tok {
			case token.IMPORT:
				for _, s := range d.Specs {
					is := s.(*ast.ImportSpec)
					path, _ := strconv.Unquote(is.Path.Value)
					spec := full[fset.Position(is.Pos()).Offset:fset.Position(is.End()).Offset]
					if old, ok := p.imports[path]; ok && old != spec {
						replaced = true
					}
					for other, otherSpec := range p.imports {
						if name := importName(path, spec); other != path && name != "_" && name == importName(other, otherSpec) {
							replaced = true
						}
					}
					p.imports[path] = spec
				}
			case token.CONST:
				// Constants of one block may depend on iota: the block is kept whole.
				var names []string
				for _, s := range d.Specs {
					for _, n := range s.(*ast.ValueSpec).Names {
						names = append(names, n.Name)
					}
				}
				keep("const "+strings.Join(names, ","), text(d, d.Doc))
			default:
				for _, s := range d.Specs {
					var name string
					switch s := s.(type) {
					case *ast.TypeSpec:
						name = s.Name.Name
					case *ast.ValueSpec:
						var ns []string
						for _, n := range s.Names {
							ns = append(ns, n.Name)
						}
						name = strings.Join(ns, ",")
					}
					keep(d.Tok.String()+" "+name, d.Tok.String()+" "+full[fset.Position(s.Pos()).Offset:fset.Position(s.End()).Offset])
				}
			}
		}
	}
	return mainFunc, replaced, nil
}

func recvType(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.StarExpr:
		return recvType(e.X)
	case *ast.Ident:
		return e.Name
	case *ast.IndexExpr:
		return recvType(e.X)
	}
	return fmt.Sprintf("%T", e)
}

var versionSuffix = regexp.MustCompile(`^v[0-9]+$`)

// importName is the name an import is used by.
func importName(path, spec string) string {
	if f := strings.Fields(spec); len(f) == 2 {
		return f[0]
	}
	parts := strings.Split(path, "/")
	name := parts[len(parts)-1]
	if versionSuffix.MatchString(name) && len(parts) > 1 {
		name = parts[len(parts)-2]
	}
	return strings.TrimPrefix(name, "go-")
}

// source composes main.go from the kept declarations and a main function,
// with the imports the code uses (as goimports leaves them).
func (p *program) source(mainFunc string) (string, error) {
	var code strings.Builder
	for _, k := range p.keys {
		code.WriteString(p.decls[k])
		code.WriteString("\n\n")
	}
	code.WriteString(mainFunc)
	code.WriteString("\n")
	// Which package names the code uses.
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "main.go", "package main\n"+code.String(), 0)
	if err != nil {
		return "", err
	}
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	imports := map[string]string{}
	for path, spec := range p.imports {
		imports[path] = spec
	}
	if _, ok := imports["flag"]; !ok {
		imports["flag"] = `"flag"`
	}
	var paths []string
	for path, spec := range imports {
		if used[importName(path, spec)] || strings.HasPrefix(spec, "_ ") {
			paths = append(paths, path)
		}
	}
	sort.Strings(paths)
	var b strings.Builder
	b.WriteString("package main\n\nimport (\n")
	for _, path := range paths {
		b.WriteString("\t" + imports[path] + "\n")
	}
	b.WriteString(")\n\n")
	b.WriteString(code.String())
	return b.String(), nil
}

// cellRun is what one cell printed and displayed.
type cellRun struct {
	stdout, stderr string
	pngs           []string // files holding the PNGs displayed
}

// runner builds and runs a notebook's programs in one temporary module.
type runner struct {
	t        *testing.T
	dir      string // GoNB's $GONB_TMP_DIR: main.go goes here
	displays string
	pngDir   string
	tmp      string // the cells' TMPDIR, shared by the notebook's cells
}

func newRunner(t *testing.T) *runner {
	repo, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gomod, err := os.ReadFile(filepath.Join(repo, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goLine := goDirective.Find(gomod)
	mod := fmt.Sprintf(`module gonb_notebook

%s

require (
	github.com/gorgoflow/gorgoflow v0.0.0
	github.com/janpfeifer/gonb v0.0.0
)

replace github.com/gorgoflow/gorgoflow => %s

replace github.com/janpfeifer/gonb => %s
`, goLine, repo, filepath.Join(repo, "notebooks", "testdata", "gonb"))
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
	pngDir := t.TempDir()
	return &runner{t: t, dir: dir, displays: filepath.Join(pngDir, "displays.txt"), pngDir: pngDir, tmp: t.TempDir()}
}

var goDirective = regexp.MustCompile(`(?m)^go [0-9.]+$`)

// goCommand is the go command run in the runner's module; nothing is
// downloaded: every module is in the module cache already.
func (r *runner) goCommand(args ...string) *exec.Cmd {
	cmd := exec.Command("go", args...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	return cmd
}

// cellProg is one code cell: its program as GoNB composes it, and its main
// as a function of the notebook's program.
type cellProg struct {
	index int      // the cell's index in the notebook
	src   string   // the cell's source
	code  string   // main.go as GoNB composes it for this cell
	fn    string   // the cell's main, renamed gonbCell<index>
	env   []string // the %env settings in force
}

// epoch is a run of cells in which declarations are only added, never
// replaced: one program holds the declarations as of its last cell and the
// main of each of its cells.
type epoch struct {
	decls *program
	cells []*cellProg
}

// mainDecl is the start of a cell's main function.
var mainDecl = regexp.MustCompile(`(?m)^func\s+main\s*\(`)

// compose reads code cells as GoNB does (srcs[i] is the source of the code
// cell at index[i] of the notebook) and groups them into epochs.
func compose(t *testing.T, index []int, srcs []string) ([]*epoch, error) {
	p := newProgram()
	cur := &epoch{}
	var epochs []*epoch
	for i, src := range srcs {
		decls, body, hasBody := p.splitCell(t, src)
		before := p.clone()
		mainFunc, replaced, err := p.addDecls(decls)
		if err != nil {
			return nil, fmt.Errorf("cell %d: %v\n%s", index[i], err, src)
		}
		if hasBody {
			mainFunc = "func main() {\n\tflag.Parse()\n" + body + "}\n"
		} else if mainFunc == "" {
			mainFunc = "func main() { flag.Parse() }\n"
		}
		code, err := p.source(mainFunc)
		if err != nil {
			return nil, fmt.Errorf("cell %d: %v\n%s", index[i], err, src)
		}
		at := mainDecl.FindStringIndex(mainFunc)
		fn := mainFunc[:at[0]] + fmt.Sprintf("func gonbCell%d(", index[i]) + mainFunc[at[1]:]
		if replaced && len(cur.cells) > 0 {
			cur.decls = before
			epochs = append(epochs, cur)
			cur = &epoch{}
		}
		cur.cells = append(cur.cells, &cellProg{index: index[i], src: src, code: code, fn: fn, env: slices.Clone(p.env)})
	}
	cur.decls = p
	return append(epochs, cur), nil
}

// exports returns the files holding the export data of the packages the
// epochs import and of the packages these depend on, by import path.
func (r *runner) exports(epochs []*epoch) (map[string]string, error) {
	paths := map[string]bool{"flag": true}
	for _, e := range epochs {
		for path := range e.decls.imports {
			paths[path] = true
		}
	}
	args := []string{"list", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}"}
	for _, path := range slices.Sorted(maps.Keys(paths)) {
		args = append(args, path)
	}
	var stderr bytes.Buffer
	cmd := r.goCommand(args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list -export: %v\n%s", err, stderr.String())
	}
	files := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if path, file, ok := strings.Cut(line, "\t"); ok && file != "" {
			files[path] = file
		}
	}
	return files, nil
}

// checker type-checks cells' programs, as the compiler does before it
// generates code.
type checker struct {
	fset      *token.FileSet
	importer  types.Importer
	goVersion string
}

func (r *runner) checker(epochs []*epoch) (*checker, error) {
	files, err := r.exports(epochs)
	if err != nil {
		return nil, err
	}
	gomod, err := os.ReadFile(filepath.Join(r.dir, "go.mod"))
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	lookup := func(path string) (io.ReadCloser, error) {
		file, ok := files[path]
		if !ok {
			return nil, fmt.Errorf("no export data for %q (go list -export)", path)
		}
		return os.Open(file)
	}
	return &checker{
		fset:      fset,
		importer:  importer.ForCompiler(fset, "gc", lookup),
		goVersion: "go" + strings.TrimPrefix(string(goDirective.Find(gomod)), "go "),
	}, nil
}

// check returns the errors of the program src, nil if it compiles.
func (c *checker) check(src string) error {
	f, err := parser.ParseFile(c.fset, "main.go", src, 0)
	if err != nil {
		return err
	}
	var errs []string
	conf := types.Config{
		Importer:  c.importer,
		GoVersion: c.goVersion,
		Error: func(err error) {
			if len(errs) < 10 {
				errs = append(errs, err.Error())
			}
		},
	}
	conf.Check("main", c.fset, []*ast.File{f}, nil)
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "\n"))
	}
	return nil
}

// dispatch is the main of an epoch's program: it runs the cell named by
// $GORGOFLOW_NOTEBOOK_CELL.
func dispatch(e *epoch) string {
	var b strings.Builder
	b.WriteString("package main\n\nimport gonbtestos \"os\"\n\nfunc main() {\n\tswitch cell := gonbtestos.Getenv(\"GORGOFLOW_NOTEBOOK_CELL\"); cell {\n")
	for _, c := range e.cells {
		fmt.Fprintf(&b, "\tcase %q:\n\t\tgonbCell%d()\n", strconv.Itoa(c.index), c.index)
	}
	b.WriteString("\tdefault:\n\t\tpanic(\"no cell \" + cell)\n\t}\n}\n")
	return b.String()
}

// build compiles an epoch's program into bin: main.go holds the
// declarations and the cells' mains, cells.go the main that picks one.
func (r *runner) build(e *epoch, bin string) error {
	var fns []string
	for _, c := range e.cells {
		fns = append(fns, c.fn)
	}
	src, err := e.decls.source(strings.Join(fns, "\n"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(r.dir, "main.go"), []byte(src), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(r.dir, "cells.go"), []byte(dispatch(e)), 0o644); err != nil {
		return err
	}
	if out, err := r.goCommand("build", "-o", bin, ".").CombinedOutput(); err != nil {
		return fmt.Errorf("compile: %v\n%s", err, out)
	}
	return nil
}

// run runs one cell of the program bin with env, in a process of its own
// as GoNB runs each cell; an error says how it failed, with its output.
func (r *runner) run(bin string, cell int, env []string) (cellRun, error) {
	os.Remove(r.displays)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin)
	cmd.Dir = r.dir
	// TMPDIR is the notebook's own: a model one cell saves under
	// os.TempDir() and a later cell restores is not another run's.
	cmd.Env = append(os.Environ(), "TMPDIR="+r.tmp, "GONB_TMP_DIR="+r.dir, "GORGOFLOW_NOTEBOOK_DISPLAYS="+r.displays,
		"GORGOFLOW_NOTEBOOK_PNGDIR="+r.pngDir, "GORGOFLOW_NOTEBOOK_CELL="+strconv.Itoa(cell))
	if !*full {
		cmd.Env = append(cmd.Env, "GORGOFLOW_NOTEBOOK_QUICK=1")
	}
	cmd.Env = append(cmd.Env, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := cellRun{stdout: stdout.String(), stderr: stderr.String()}
	if b, rerr := os.ReadFile(r.displays); rerr == nil {
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			if f := strings.Fields(line); len(f) == 3 && f[0] == "png" {
				res.pngs = append(res.pngs, f[2])
			}
		}
	}
	if err != nil {
		return res, fmt.Errorf("run: %v\nstdout:\n%s\nstderr:\n%s", err, res.stdout, res.stderr)
	}
	if strings.Contains(res.stderr, "panic:") {
		return res, fmt.Errorf("run panicked:\n%s", res.stderr)
	}
	return res, nil
}

// runCells runs code cells as GoNB runs them, in order (srcs[i] is the
// source of the code cell at index[i] of the notebook), and returns how many
// figures they showed. The error names the first cell that failed.
func runCells(t *testing.T, r *runner, index []int, srcs []string) (figures int, err error) {
	start := time.Now()
	epochs, err := compose(t, index, srcs)
	if err != nil {
		return 0, err
	}
	c, err := r.checker(epochs)
	if err != nil {
		return 0, err
	}
	for _, e := range epochs {
		for _, cell := range e.cells {
			if err := c.check(cell.code); err != nil {
				return 0, fmt.Errorf("cell %d does not compile:\n%s\n--- its program:\n%s\n--- %v", cell.index, cell.src, cell.code, err)
			}
		}
	}
	t.Logf("%d cells type-checked in %.1fs", len(srcs), time.Since(start).Seconds())
	for n, e := range epochs {
		start := time.Now()
		bin := filepath.Join(r.dir, fmt.Sprintf("cells%d", n))
		if err := r.build(e, bin); err != nil {
			return 0, fmt.Errorf("cells %d to %d: %v", e.cells[0].index, e.cells[len(e.cells)-1].index, err)
		}
		t.Logf("cells %d to %d built in %.1fs", e.cells[0].index, e.cells[len(e.cells)-1].index, time.Since(start).Seconds())
		for _, cell := range e.cells {
			start := time.Now()
			res, err := r.run(bin, cell.index, cell.env)
			if err != nil {
				return 0, fmt.Errorf("cell %d:\n%s\n--- %v", cell.index, cell.src, err)
			}
			t.Logf("cell %d: ran in %.1fs, %d figures", cell.index, time.Since(start).Seconds(), len(res.pngs))
			figures += len(res.pngs)
		}
	}
	return figures, nil
}

// runNotebook runs every code cell of the notebook at path, in order, and
// returns how many code cells ran and how many figures they showed.
func runNotebook(t *testing.T, path string) (cells, figures int) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var nb notebook
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var index []int
	var srcs []string
	for i, c := range nb.Cells {
		if c["cell_type"] == "code" {
			index = append(index, i)
			srcs = append(srcs, cellSource(c))
		}
	}
	figures, err = runCells(t, newRunner(t), index, srcs)
	if err != nil {
		t.Fatalf("%s %v", path, err)
	}
	return len(srcs), figures
}

// minFigures is how many figures each notebook shows, at least.
var minFigures = map[string]int{
	"chapter14_part1.ipynb": 6, // accuracy curve, Figures 14-7, 14-9 (L9, L10), 14-11 (one seed, two seeds)
	"chapter14_part2.ipynb": 3, // deep RNN and LSTM accuracy curves, the dropout model's prediction
	"chapter14_part3.ipynb": 2, // word2vec's projection, translation's exact match
	"chapter14_part4.ipynb": 0, // exercise 7 (embedded Reber grammars) prints only, as the notebook
}

// notebookPaths returns the notebooks of this folder, each of them listed in
// minFigures.
func notebookPaths(t *testing.T) []string {
	paths, err := filepath.Glob("*.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no notebooks")
	}
	for _, path := range paths {
		if _, ok := minFigures[path]; !ok {
			t.Errorf("%s: not in minFigures (how many figures it shows)", path)
		}
	}
	return paths
}

// Every notebook runs start to finish and shows its figures.
func TestNotebooks(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the notebooks compile and run one program per cell")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	for _, path := range notebookPaths(t) {
		t.Run(strings.TrimSuffix(path, ".ipynb"), func(t *testing.T) {
			cells, figures := runNotebook(t, path)
			if cells == 0 {
				t.Errorf("%s: no code cells", path)
			}
			if figures < minFigures[path] {
				t.Errorf("%s showed %d figures, want at least %d", path, figures, minFigures[path])
			}
		})
	}
}

// joinText reads nbformat's multiline strings: a string or a list of them.
func joinText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []any:
		var b strings.Builder
		for _, s := range v {
			b.WriteString(fmt.Sprint(s))
		}
		return b.String()
	}
	return ""
}

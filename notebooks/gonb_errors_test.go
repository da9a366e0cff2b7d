package notebooks_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// What follows reimplements, line for line, how GoNB reads what a cell's
// program prints (github.com/janpfeifer/gonb, internal/goexec: gonberror.go
// parseErrorLine, getCol, getColLine; execcode.go
// jupyterStackTraceMapperWriter.Write and processLine), at v0.11.4; v0.11.2
// has the first regular expression only. GoNB runs these on every line the
// program writes to stderr, in the kernel's own process: a panic here (a
// negative strings.Repeat) kills the kernel and every declaration with it.

var (
	gonbFileLinePrefix = regexp.MustCompile(`(^.*main(_test)?\.go:(\d+):(\d+): )(.+)$`)
	gonbStackTraceLine = regexp.MustCompile(`(^\s*)(.*main(?:_test)?\.go):(\d+)(.*)$`)
)

const gonbLinesForErrorContext = 3

type gonbErrorLine struct {
	HasContext  bool
	Message     string
	Location    string
	RawContext  string
	HasCellInfo bool
	CellInfo    string
}

func (e *gonbErrorLine) getCol(v0112 bool) int {
	split := strings.Split(e.Location, ":")
	if (v0112 || len(split) >= 3) && split[0] != "" {
		col, _ := strconv.Atoi(split[2])
		return col
	}
	return -1
}

func (e *gonbErrorLine) getColLine(v0112 bool) string {
	col := e.getCol(v0112)
	if col == -1 {
		return ""
	}
	line := strings.Repeat(" ", col-1)
	line += "^"
	return line + "\n"
}

// gonbParseErrorLine is GoNB's parseErrorLine; fileToCell[i] is the cell
// line of main.go's line i (0-based), -1 for none.
func gonbParseErrorLine(lineStr string, codeLines []string, fileToCell []int, v0112 bool) (l gonbErrorLine) {
	if len(codeLines) == 0 {
		l.Message = lineStr
		return
	}
	var lineNum int
	if m := gonbFileLinePrefix.FindStringSubmatch(lineStr); len(m) == 6 {
		l.HasContext = true
		l.Message = m[5]
		l.Location = m[1]
		lineNum, _ = strconv.Atoi(m[3])
	} else if m := gonbStackTraceLine.FindStringSubmatch(lineStr); !v0112 && len(m) == 5 {
		l.HasContext = true
		l.Message = m[4]
		l.Location = fmt.Sprintf("%s:%s", m[2], m[3])
		lineNum, _ = strconv.Atoi(m[3])
	} else {
		l.Message = lineStr
		return
	}
	lineNum--
	fromLines := min(max(lineNum-gonbLinesForErrorContext, 0), len(codeLines)-1)
	toLines := min(max(lineNum+gonbLinesForErrorContext, 0), len(codeLines))
	var raw []string
	for ii := fromLines; ii < toLines; ii++ {
		part := codeLines[ii] + "\n"
		if ii == lineNum {
			part += l.getColLine(v0112)
		}
		raw = append(raw, part)
	}
	l.RawContext = strings.Join(raw, "")
	if lineNum >= 0 && lineNum < len(fileToCell) && fileToCell[lineNum] != -1 {
		l.HasCellInfo = true
		l.CellInfo = fmt.Sprintf("Cell[%d]: Line %d", 1, fileToCell[lineNum]+1)
	}
	return
}

// gonbAnnotate is jupyterStackTraceMapperWriter.Write's rewriting: each
// "<main.go path>:N" gets the cell and line in front of it.
func gonbAnnotate(text, mainPath string, fileToCell []int) string {
	re := regexp.MustCompile(fmt.Sprintf("%s:(\\d+)", regexp.QuoteMeta(mainPath)))
	return re.ReplaceAllStringFunc(text, func(match string) string {
		n, err := strconv.Atoi(strings.Split(match, ":")[1])
		if err != nil {
			return match
		}
		n--
		if n < 0 || n >= len(fileToCell) {
			return match
		}
		return fmt.Sprintf(" [[ Cell [1] Line %d ]] %s", fileToCell[n]+1, match)
	})
}

// gonbRead runs every line of out through GoNB's readers; a panic (GoNB's
// kernel dying) is returned as an error.
func gonbRead(out string, codeLines []string, fileToCell []int) (err error) {
	for _, v0112 := range []bool{false, true} {
		for _, line := range strings.Split(out, "\n") {
			func() {
				defer func() {
					if r := recover(); r != nil && err == nil {
						err = fmt.Errorf("GoNB (v0.11.2=%v) panics on the line %q: %v", v0112, line, r)
					}
				}()
				gonbParseErrorLine(line, codeLines, fileToCell, v0112)
			}()
		}
	}
	return err
}

// The reimplementation is faithful: the shape the newcomer met (a site
// after colons on one line) breaks it as it broke GoNB.
func TestGoNBReaderBreaksOnOldShape(t *testing.T) {
	code := make([]string, 40)
	cells := make([]int, 40)
	for i := range cells {
		cells[i] = i
	}
	for _, line := range []string{
		`panic: session.Run: Add "Add" (built at main.go:16) with inputs (float32[4,5], float32[1,3])`,
		`2026/11/29 12:00:00 tf.Fill at /tmp/gonb_1/main.go:16: shape [?] must be fully known`,
	} {
		if err := gonbRead(line, code, cells); err == nil {
			t.Errorf("no panic on %q", line)
		}
	}
}

// gorgoflow's errors, printed every way a notebook prints them (fmt, log
// with its timestamp, a wrapping message, an unrecovered panic of a Must
// function), never break GoNB's readers, and each names the user's line so
// that GoNB points at the cell's line.
func TestGoNBReadsErrors(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds a program")
	}
	r := newRunner(t)
	prog := `package main

import (
	"fmt"
	"log"
	"os"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

func report(name string, err error) {
	if err == nil {
		fmt.Fprintln(os.Stderr, "NOERROR", name)
		return
	}
	fmt.Fprintln(os.Stderr, err)
	log.Println(err)
	log.Printf("%s: %v", name, err)
	fmt.Fprintln(os.Stderr, "panic:", fmt.Errorf("wrapped: %w", err), "[recovered]")
	fmt.Fprintln(os.Stderr, "END", name)
}

func main() {
	sess := session.New()
	defer sess.Close()
	a := tf.Constant([][]float32{{1, 2, 3}}, tf.Float32)
	b := tf.Constant([][]float32{{1, 2}}, tf.Float32)
	bad := tf.Add(a, b) // SITE add
	_, err := sess.Run(bad, nil)
	report("add", err)

	X := placeholder.New(tf.Float32, tf.Shape{tf.None, 3}, placeholder.Name("X"))
	_, err = sess.Run(tf.Square(X), nil)
	report("feed", err)

	y := tf.Fill(tf.Shape{tf.None}, 1.0, tf.Float32) // SITE fill
	report("fill", y.Err())

	_, err = tf.Gradients(a, "w") // SITE gradients
	report("gradients", err)

	out, _ := nn.DynamicRNN(nil, X, rnn.DType(tf.Float32)) // SITE dynamic
	report("dynamic", out.Err())

	d := layers.Dense(nil, 3) // SITE dense
	report("dense", d.Err())

	op := train.NewAdamOptimizer(0.001).Minimize(tf.ReduceSum(a)) // SITE minimize
	report("minimize", op.Err())

	var nilCell rnn.Cell
	X3 := placeholder.New(tf.Float32, tf.Shape{tf.None, 4, 3})
	_, st := rnn.StaticRNN(rnn.NewBasicRNNCell(2), nil, rnn.DType(tf.Float32)) // SITE static
	report("static", st[0].Err())
	out, _ = nn.DynamicRNN(rnn.NewBasicRNNCell(2), X, rnn.DType(tf.Float32)) // SITE rank2
	report("rank2", out.Err())
	out, _ = nn.DynamicRNN(rnn.NewBasicRNNCell(2), X3) // SITE nodtype
	report("nodtype", out.Err())
	out, _ = nn.DynamicRNN(rnn.NewBasicRNNCell(2), nil, rnn.DType(tf.Float32)) // SITE nilinputs
	report("nilinputs", out.Err())
	out, _ = nn.DynamicRNN(nilCell, X3, rnn.DType(tf.Float32), rnn.ForgetBias(1)) // SITE rnnoption
	report("rnnoption", out.Err())
	fc := layers.FullyConnected(tf.Placeholder(tf.Float32, tf.Shape{2, tf.None}), 3) // SITE fcdim
	report("fcdim", fc.Err())
	op = train.NewAdamOptimizer(0.001).Minimize(nil) // SITE nilloss
	report("nilloss", op.Err())
	v := tf.NewVariable(tf.Zeros(tf.Shape{2}, tf.Float32))
	sess2 := session.New()
	defer sess2.Close()
	sess2.MustRun(tf.GlobalVariablesInitializer(), nil)
	report("load", v.Load([]float32{1, 2, 3}, sess2))   // SITE load
	report("loadnil", v.Load([]float32{1, 2}, nil)) // SITE loadnil
	var nilSess *session.Session
	report("loadnilsess", v.Load([]float32{1, 2}, nilSess)) // SITE loadnilsess
	g2 := tf.NewGraph()
	restore := g2.AsDefault()
	c2 := tf.Constant([]float32{1, 2}, tf.Float32)
	restore()
	report("graphs", tf.Add(a, c2).Err()) // SITE graphs
	report("tfoption", tf.Zeros(tf.Shape{2}, tf.Float32, tf.TransposeB(true)).Err()) // SITE tfoption
	out, _ = nn.DynamicRNN(rnn.NewBasicRNNCell(-3), X3, rnn.DType(tf.Float32)) // SITE negunits
	report("negunits", out.Err())

	sess.MustRun(bad, nil) // SITE mustrun
}
`
	if err := os.WriteFile(filepath.Join(r.dir, "main.go"), []byte(prog), 0o644); err != nil {
		t.Fatal(err)
	}
	sites := map[string]int{}
	for i, line := range strings.Split(prog, "\n") {
		if _, name, ok := strings.Cut(line, "// SITE "); ok {
			sites[name] = i + 1
		}
	}
	bin := filepath.Join(r.dir, "cell")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = r.dir
	build.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	run := exec.Command(bin)
	run.Env = append(os.Environ(), "GONB_TMP_DIR="+r.dir)
	outb, err := run.CombinedOutput()
	out := string(outb)
	if err == nil || !strings.Contains(out, "panic:") {
		t.Fatalf("the last MustRun did not panic: %v\n%s", err, out)
	}
	t.Logf("the program printed:\n%s", out)

	codeLines := strings.Split(prog, "\n")
	cells := make([]int, len(codeLines))
	for i := range cells {
		cells[i] = i
	}
	if err := gonbRead(out, codeLines, cells); err != nil {
		t.Error(err)
	}
	mainPath := filepath.Join(r.dir, "main.go")
	annotated := gonbAnnotate(out, mainPath, cells)
	// Each error names its site, which GoNB marks with the cell's line.
	for name, line := range sites {
		if name == "mustrun" {
			continue // the stack trace names it; the error names the Add
		}
		want := fmt.Sprintf("[[ Cell [1] Line %d ]] %s:%d", line, mainPath, line)
		if name == "add" || name == "mustrun" {
			want = fmt.Sprintf("[[ Cell [1] Line %d ]] %s:%d", sites["add"], mainPath, sites["add"])
		}
		block := between(annotated, "", "END "+name)
		if name == "add" {
			block = annotated
		}
		if !strings.Contains(block, want) {
			t.Errorf("%s: GoNB would not point at the cell's line %d (want %q in the output)", name, line, want)
		}
	}
	if !strings.Contains(between(out, "END tfoption", "END negunits"), "num_units") {
		t.Errorf("rnn.NewBasicRNNCell(-3): the error does not name num_units")
	}
	if strings.Contains(out, "NOERROR") {
		t.Errorf("a call that should fail did not:\n%s", out)
	}
}

// between returns the text of s before the first end (after start).
func between(s, start, end string) string {
	i := strings.Index(s, start)
	j := strings.Index(s, end)
	if i < 0 || j < 0 || j < i {
		return ""
	}
	return s[i:j]
}

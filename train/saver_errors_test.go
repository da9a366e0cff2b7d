package train_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

// smallModel has two variables W [2,3] float32 and b [3] float32.
type smallModel struct {
	g     *tf.Graph
	W, b  *tf.Variable
	init  *tf.Operation
	saver *train.Saver
}

func newSmall(t *testing.T, opts ...func()) *smallModel {
	t.Helper()
	m := &smallModel{g: tf.NewGraph()}
	defer m.g.AsDefault()()
	m.W = tf.NewVariable([][]float32{{1, 2, 3}, {4, 5, 6}}, tf.Name("W"))
	m.b = tf.NewVariable([]float32{7, 8, 9}, tf.Name("b"))
	m.init = tf.GlobalVariablesInitializer()
	m.saver = train.NewSaver()
	return m
}

func TestRestoreBadFiles(t *testing.T) {
	dir := t.TempDir()
	src := newSmall(t)
	s := session.New(session.WithGraph(src.g))
	defer s.Close()
	s.MustRun(src.init, nil)
	good, err := src.saver.Save(s, filepath.Join(dir, "good"), train.WriteMetaGraph(false))
	if err != nil {
		t.Fatal(err)
	}
	index, _ := os.ReadFile(good + ".index")
	data, _ := os.ReadFile(good + ".data-00000-of-00001")

	flip := func(b []byte, i int) []byte { c := append([]byte{}, b...); c[i] ^= 0x40; return c }
	cases := []struct {
		name        string
		index, data []byte
		graph       func() (*tf.Graph, *train.Saver, *tf.Variable)
		want        []string
	}{
		{name: "truncated index", index: index[:len(index)-10], data: data, want: []string{"truncated index.index", "truncated"}},
		{name: "truncated data", index: index, data: data[:len(data)-5], want: []string{"truncated data.data-00000-of-00001", `"b"`, "truncated"}},
		{name: "corrupt data", index: index, data: flip(data, 2), want: []string{"corrupt data.data-00000-of-00001", `"W"`, "checksum mismatch"}},
		{name: "corrupt index", index: flip(index, 12), data: data, want: []string{"corrupt index.index", "checksum mismatch"}},
		{name: "missing variable", index: index, data: data, graph: func() (*tf.Graph, *train.Saver, *tf.Variable) {
			g := tf.NewGraph()
			defer g.AsDefault()()
			tf.NewVariable([][]float32{{0, 0, 0}, {0, 0, 0}}, tf.Name("W"))
			tf.NewVariable([]float32{0, 0, 0}, tf.Name("b"))
			c := tf.NewVariable([]float32{5}, tf.Name("c"))
			return g, train.NewSaver(), c
		}, want: []string{"missing variable.index", "Key c not found", `"c"`}},
		{name: "wrong dtype", index: index, data: data, graph: func() (*tf.Graph, *train.Saver, *tf.Variable) {
			g := tf.NewGraph()
			defer g.AsDefault()()
			w := tf.NewVariable([][]float64{{0, 0, 0}, {0, 0, 0}}, tf.Name("W"))
			tf.NewVariable([]float32{0, 0, 0}, tf.Name("b"))
			return g, train.NewSaver(), w
		}, want: []string{"wrong dtype.index", `"W"`, "dtype float32 in the checkpoint", "float64"}},
		{name: "wrong shape", index: index, data: data, graph: func() (*tf.Graph, *train.Saver, *tf.Variable) {
			g := tf.NewGraph()
			defer g.AsDefault()()
			tf.NewVariable([][]float32{{0, 0, 0}, {0, 0, 0}}, tf.Name("W"))
			b := tf.NewVariable([]float32{0, 0, 0, 0}, tf.Name("b"))
			return g, train.NewSaver(), b
		}, want: []string{"wrong shape.index", `"b"`, "shape [3] in the checkpoint", "[4]"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			prefix := filepath.Join(dir, c.name)
			os.WriteFile(prefix+".index", c.index, 0o644)
			os.WriteFile(prefix+".data-00000-of-00001", c.data, 0o644)
			g, saver, probe := src.g, src.saver, src.b
			if c.graph != nil {
				g, saver, probe = c.graph()
			}
			sess := session.New(session.WithGraph(g))
			defer sess.Close()
			init := g.Operation("init")
			if init == nil {
				restore := g.AsDefault()
				init = tf.GlobalVariablesInitializer()
				restore()
			}
			sess.MustRun(init, nil)
			before := values(t, sess, g)
			err := saver.Restore(sess, prefix)
			if err == nil {
				t.Fatal("Restore succeeded")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			// The session is unchanged and still works.
			after := values(t, sess, g)
			for name, v := range before {
				if !sameBits(v, after[name]) {
					t.Errorf("%s changed: %v -> %v", name, v, after[name])
				}
			}
			if _, err := sess.Eval(probe, nil); err != nil {
				t.Error(err)
			}
			// The good checkpoint restores in the same session afterwards.
			if c.graph == nil {
				if err := saver.Restore(sess, good); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

func TestSaverErrors(t *testing.T) {
	m := newSmall(t)
	s := session.New(session.WithGraph(m.g))
	defer s.Close()
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		err  func() error
		want string
	}{
		{"uninitialized", func() error { _, err := m.saver.Save(s, filepath.Join(dir, "m")); return err }, "uninitialized value W"},
		{"no directory", func() error {
			s.MustRun(m.init, nil)
			_, err := m.saver.Save(s, filepath.Join(dir, "nope", "m"))
			return err
		}, "Parent directory of " + filepath.Join(dir, "nope", "m") + " doesn't exist"},
		{"missing checkpoint", func() error { return m.saver.Restore(s, filepath.Join(dir, "absent")) }, "the checkpoint " + filepath.Join(dir, "absent") + " does not exist"},
		{"directory given", func() error { return m.saver.Restore(s, dir) }, "is a directory, not a checkpoint prefix"},
		{"empty prefix", func() error { return m.saver.Restore(s, train.LatestCheckpoint(dir)) }, "did LatestCheckpoint find no checkpoint?"},
		{"bad global step", func() error { _, err := m.saver.Save(s, filepath.Join(dir, "m"), train.GlobalStep(1.5)); return err }, "global_step is a float64"},
		{"bad option", func() error { _, err := m.saver.Save(s, filepath.Join(dir, "m"), train.MaxToKeep(3)); return err }, "Saver.Save does not take the option max_to_keep"},
		{"state conflict", func() error { _, err := m.saver.Save(s, filepath.Join(dir, "checkpoint")); return err }, "conflicts with path used for checkpoint state"},
		{"duplicate names", func() error {
			return train.NewSaver(train.VarList(m.W, m.W)).Err()
		}, "At least two variables have the same name: W"},
		{"bad hours", func() error { return train.NewSaver(train.VarList(m.W), train.KeepCheckpointEveryNHours(-1)).Err() }, "saver_errors_test.go:"},
		{"minimize with int step", func() error {
			defer m.g.AsDefault()()
			return train.NewGradientDescentOptimizer(0.1).Minimize(tf.ReduceSum(m.W.Value()), train.GlobalStep(3)).Err()
		}, "global_step must be a *tf.Variable"},
	} {
		err := c.err()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", c.name, err, c.want)
		}
	}
}

func TestCheckpointStateAndMaxToKeep(t *testing.T) {
	m := newSmall(t)
	s := session.New(session.WithGraph(m.g))
	defer s.Close()
	s.MustRun(m.init, nil)
	dir := t.TempDir()
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	os.Chdir(dir) // relative save paths, as TF's examples use them
	saver := train.NewSaver(train.VarList(m.W, m.b), train.MaxToKeep(3))
	for step := 0; step < 5; step++ {
		s.MustRun(tf.Assign(m.b, []float32{float32(step), 0, 0}), nil)
		p, err := saver.Save(s, "./run/model.ckpt", train.GlobalStep(step))
		if err == nil && step == 0 {
			t.Fatal("saved into a missing directory")
		}
		if step == 0 {
			os.Mkdir("run", 0o755)
			p, err = saver.Save(s, "./run/model.ckpt", train.GlobalStep(step))
		}
		if err != nil {
			t.Fatal(err)
		}
		if want := "./run/model.ckpt-" + fmt.Sprint(step); p != want {
			t.Errorf("Save = %q, want %q", p, want)
		}
	}
	state, _ := os.ReadFile("run/checkpoint")
	want := `model_checkpoint_path: "model.ckpt-4"
all_model_checkpoint_paths: "model.ckpt-2"
all_model_checkpoint_paths: "model.ckpt-3"
all_model_checkpoint_paths: "model.ckpt-4"
`
	if string(state) != want {
		t.Errorf("checkpoint file:\n%s\nwant\n%s", state, want)
	}
	files, _ := filepath.Glob("run/*")
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	if got, want := strings.Join(names, " "), "checkpoint model.ckpt-2.data-00000-of-00001 model.ckpt-2.index model.ckpt-2.meta model.ckpt-3.data-00000-of-00001 model.ckpt-3.index model.ckpt-3.meta model.ckpt-4.data-00000-of-00001 model.ckpt-4.index model.ckpt-4.meta"; got != want {
		t.Errorf("files:\n got %s\nwant %s", got, want)
	}
	if got := train.LatestCheckpoint("run"); got != "run/model.ckpt-4" {
		t.Errorf("LatestCheckpoint = %q", got)
	}
	st, err := train.GetCheckpointState("run")
	if err != nil || len(st.AllModelCheckpointPaths) != 3 || st.AllModelCheckpointPaths[0] != "run/model.ckpt-2" {
		t.Errorf("GetCheckpointState = %+v, %v", st, err)
	}
	if got := saver.LastCheckpoints(); len(got) != 3 || got[2] != "./run/model.ckpt-4" {
		t.Errorf("LastCheckpoints = %v", got)
	}
	b, err := train.LoadVariable("run", "b")
	if err != nil || b.Float32s()[0] != 4 {
		t.Errorf("LoadVariable(dir, b) = %v, %v", b, err)
	}
	if train.LatestCheckpoint(t.TempDir()) != "" {
		t.Error("LatestCheckpoint of an empty directory is not \"\"")
	}
	// MaxToKeep(0) deletes nothing and names only the latest.
	keepAll := train.NewSaver(train.VarList(m.W, m.b), train.MaxToKeep(0))
	os.Mkdir("all", 0o755)
	for step := 0; step < 7; step++ {
		if _, err := keepAll.Save(s, "all/m", train.GlobalStep(step), train.WriteMetaGraph(false)); err != nil {
			t.Fatal(err)
		}
	}
	if idx, _ := filepath.Glob("all/*.index"); len(idx) != 7 {
		t.Errorf("MaxToKeep(0) kept %d checkpoints, want 7", len(idx))
	}
	if state, _ := os.ReadFile("all/checkpoint"); string(state) != "model_checkpoint_path: \"m-6\"\nall_model_checkpoint_paths: \"m-6\"\n" {
		t.Errorf("MaxToKeep(0) state:\n%s", state)
	}

	// A checkpoint file naming a deleted checkpoint gives "".
	os.Remove("run/model.ckpt-4.index")
	if got := train.LatestCheckpoint("run"); got != "" {
		t.Errorf("LatestCheckpoint with the index gone = %q", got)
	}
}

func TestSaveGlobalStepKinds(t *testing.T) {
	m := newSmall(t)
	s := session.New(session.WithGraph(m.g))
	defer s.Close()
	s.MustRun(m.init, nil)
	dir := t.TempDir()
	restore := m.g.AsDefault()
	step := tf.NewVariable(int64(12), tf.Name("step"), tf.Trainable(false))
	stepTensor := tf.Add(tf.Constant(int32(30), tf.Int32), tf.Constant(int32(4), tf.Int32))
	init := tf.VariablesInitializer([]*tf.Variable{step})
	restore()
	s.MustRun(init, nil)
	for _, c := range []struct {
		step any
		want string
	}{{7, "m-7"}, {int64(8), "m-8"}, {step, "m-12"}, {stepTensor, "m-34"}} {
		p, err := m.saver.Save(s, filepath.Join(dir, "m"), train.GlobalStep(c.step), train.WriteMetaGraph(false))
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Base(p) != c.want {
			t.Errorf("GlobalStep(%T) saved %s, want %s", c.step, p, c.want)
		}
	}
}

func TestNilSaver(t *testing.T) {
	var s *train.Saver
	if _, err := s.Save(nil, "x"); err == nil || !strings.Contains(err.Error(), "saver is nil") {
		t.Errorf("Save on a nil saver: %v", err)
	}
	if err := s.Restore(nil, "x"); err == nil {
		t.Error("Restore on a nil saver succeeded")
	}
	if s.Variables() != nil || s.LastCheckpoints() != nil || s.String() == "" {
		t.Error("nil saver accessors")
	}
}

// TestLatestFilename: a saver writing its state under another name, read
// back by LatestCheckpoint and GetCheckpointState given that name (TF's
// latest_filename); the default name finds nothing there.
func TestLatestFilename(t *testing.T) {
	m := newSmall(t)
	dir := t.TempDir()
	restore := m.g.AsDefault()
	s := train.NewSaver()
	restore()
	sess := session.New(session.WithGraph(m.g))
	defer sess.Close()
	sess.MustRun(m.init, nil)
	p1, err := s.Save(sess, filepath.Join(dir, "model"), train.GlobalStep(1), train.WriteMetaGraph(false), train.LatestFilename("my_state"))
	if err != nil {
		t.Fatal(err)
	}
	p2, err := s.Save(sess, filepath.Join(dir, "model"), train.GlobalStep(2), train.WriteMetaGraph(false), train.LatestFilename("my_state"))
	if err != nil {
		t.Fatal(err)
	}
	if got := train.LatestCheckpoint(dir, train.LatestFilename("my_state")); got != p2 {
		t.Errorf("LatestCheckpoint(latest_filename my_state) = %q, want %q", got, p2)
	}
	if got := train.LatestCheckpoint(dir); got != "" {
		t.Errorf("LatestCheckpoint without the state's name = %q, want \"\"", got)
	}
	st, err := train.GetCheckpointState(dir, train.LatestFilename("my_state"))
	if err != nil || st == nil || len(st.AllModelCheckpointPaths) != 2 || st.AllModelCheckpointPaths[0] != p1 {
		t.Errorf("GetCheckpointState(my_state) = %+v, %v", st, err)
	}
	for _, bad := range []string{"", "a/b"} {
		if _, err := train.GetCheckpointState(dir, train.LatestFilename(bad)); err == nil {
			t.Errorf("latest_filename %q accepted", bad)
		}
		if got := train.LatestCheckpoint(dir, train.LatestFilename(bad)); got != "" {
			t.Errorf("LatestCheckpoint(latest_filename %q) = %q", bad, got)
		}
	}
	if _, err := train.GetCheckpointState(dir, train.MaxToKeep(3)); err == nil || !strings.Contains(err.Error(), "latest_filename") {
		t.Errorf("GetCheckpointState with a Saver option: %v", err)
	}
}

package train_test

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

const killDirEnv = "GORGOFLOW_TEST_SAVE_FOREVER"

// killModel has a 1 MB variable (so that a save takes long enough to be
// interrupted in its middle), a small one and the global step.
func killModel() (g *tf.Graph, big, small, step *tf.Variable, saver *train.Saver) {
	g = tf.NewGraph()
	defer g.AsDefault()()
	big = tf.NewVariable(tf.Zeros(tf.Shape{256, 1024}, tf.Float32), tf.Name("big"))
	small = tf.NewVariable(tf.Zeros(tf.Shape{3}, tf.Float32), tf.Name("layer/small"))
	step = train.GetOrCreateGlobalStep()
	return g, big, small, step, train.NewSaver(train.MaxToKeep(2))
}

// TestSaveForever is the child process of TestKillDuringSave: with
// GORGOFLOW_TEST_SAVE_FOREVER set, it saves checkpoints 1, 2, 3, ... (every
// variable holding its step number) until it is killed.
func TestSaveForever(t *testing.T) {
	dir := os.Getenv(killDirEnv)
	if dir == "" {
		return // only a child process of TestKillDuringSave runs it
	}
	g, big, small, step, saver := killModel()
	s := session.New(session.WithGraph(g))
	for k := 1; ; k++ {
		for _, v := range []*tf.Variable{big, small} {
			vals := make([]float32, v.Shape().NumElements())
			for i := range vals {
				vals[i] = float32(k)
			}
			if err := v.Load(tensor.New(tensor.WithShape(v.Shape()...), tensor.WithBacking(vals)), s); err != nil {
				fmt.Println("error:", err)
				return
			}
		}
		if err := step.Load(int64(k), s); err != nil {
			fmt.Println("error:", err)
			return
		}
		if _, err := saver.Save(s, filepath.Join(dir, "model.ckpt"), train.GlobalStep(step)); err != nil {
			fmt.Println("error:", err)
			return
		}
		if k == 1 {
			fmt.Println("saved")
		}
	}
}

// TestKillDuringSave kills a process saving checkpoints in a loop, 50
// times at random moments, and checks each time that the directory's
// latest checkpoint restores, whole and consistent.
func TestKillDuringSave(t *testing.T) {
	if os.Getenv(killDirEnv) != "" {
		return
	}
	rng := rand.New(rand.NewPCG(5, 6))
	tries := 50
	midWrite, maxK := 0, 0
	for i := 0; i < tries; i++ {
		dir := t.TempDir()
		cmd := exec.Command(os.Args[0], "-test.run=^TestSaveForever$", "-test.count=1")
		cmd.Env = append(os.Environ(), killDirEnv+"="+dir)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(out).ReadString('\n')
		if err != nil || line != "saved\n" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("child: %q %v", line, err)
		}
		time.Sleep(time.Duration(rng.IntN(150000)) * time.Microsecond)
		cmd.Process.Kill() // SIGKILL: no deferred cleanup runs
		cmd.Wait()

		prefix := train.LatestCheckpoint(dir)
		if prefix == "" {
			t.Fatalf("try %d: no restorable checkpoint left", i)
		}
		k, err := strconv.Atoi(prefix[strings.LastIndexByte(prefix, '-')+1:])
		if err != nil {
			t.Fatal(err)
		}
		g, big, small, step, saver := killModel()
		s := session.New(session.WithGraph(g))
		if err := saver.Restore(s, prefix); err != nil {
			t.Fatalf("try %d: the latest checkpoint %s does not restore: %v", i, prefix, err)
		}
		for _, v := range []*tf.Variable{big, small, step} {
			a := s.MustEval(v, nil)
			for _, x := range a.Float64s() {
				if x != float64(k) {
					t.Fatalf("try %d: %s holds %v in checkpoint %d", i, v.Name(), x, k)
				}
			}
		}
		s.Close()
		if tmp, _ := filepath.Glob(filepath.Join(dir, "*tempstate*")); len(tmp) > 0 {
			midWrite++
		}
		maxK = max(maxK, k)
	}
	// How many kills interrupted a file's writing (temporaries left), and
	// the most checkpoints a child completed: what the test exercised.
	t.Logf("%d of %d kills left temporaries; up to %d checkpoints saved before a kill", midWrite, tries, maxK)
}

// Command checkpoints shows TF 1.x's checkpoint calls in Go: it trains a
// small linear model with Adam, saves a checkpoint every 100 steps
// (saver.Save with GlobalStep, keeping the last 5), finds the latest with
// train.LatestCheckpoint, lists its variables (tf.train.list_variables,
// Adam's slots included), reads one (tf.train.load_variable), and restores
// it in a new session, which needs no initializer.
//
// The checkpoints go to -dir, by default ./my_checkpoints under the working
// directory, as TF's examples write theirs; the files are TF's own format,
// which TF 1.x's tf.train.Saver restores.
//
//	go run ./examples/checkpoints [-dir=./my_checkpoints] [-steps=500]
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

func main() {
	dir := flag.String("dir", "./my_checkpoints", "directory for the checkpoints")
	nSteps := flag.Int("steps", 500, "training steps")
	flag.Parse()
	log.SetFlags(0)
	if err := run(os.Stdout, *dir, *nSteps); err != nil {
		log.Fatal(err)
	}
}

// run builds the model in the default graph, trains it nSteps steps saving
// into dir, and reads the checkpoints back, printing to out.
func run(out io.Writer, dir string, nSteps int) error {
	// y = 3x₁ - 2x₂ + 1, learned by a linear model.
	tf.SetRandomSeed(42)
	X := placeholder.New(tf.Float32, tf.Shape{tf.None, 2}, placeholder.Name("X"))
	y := placeholder.New(tf.Float32, tf.Shape{tf.None, 1}, placeholder.Name("y"))
	W := tf.NewVariable(tf.RandomNormal(tf.Shape{2, 1}, tf.Float32), tf.Name("weights"))
	b := tf.NewVariable(tf.Zeros(tf.Shape{1}, tf.Float32), tf.Name("bias"))
	loss := tf.ReduceMean(tf.Square(tf.Sub(tf.Add(tf.MatMul(X, W), b), y)), tf.Name("mse"))
	globalStep := train.GetOrCreateGlobalStep()
	trainingOp := train.NewAdamOptimizer(0.05).Minimize(loss, train.GlobalStep(globalStep))
	init := tf.GlobalVariablesInitializer()
	saver := train.NewSaver() // after Minimize: Adam's slots are saved too

	rng := rand.New(rand.NewPCG(1, 2))
	batch := func() (xs, ys [][]float32) {
		for i := 0; i < 32; i++ {
			x1, x2 := rng.Float32()*2-1, rng.Float32()*2-1
			xs = append(xs, []float32{x1, x2})
			ys = append(ys, []float32{3*x1 - 2*x2 + 1})
		}
		return xs, ys
	}

	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	sess := session.New()
	if _, err := sess.Run(init, nil); err != nil {
		return err
	}
	for step := 1; step <= nSteps; step++ {
		xs, ys := batch()
		sess.MustRun(trainingOp, session.Feed{X: xs, y: ys})
		if step%100 == 0 {
			path, err := saver.Save(sess, filepath.Join(dir, "model.ckpt"), train.GlobalStep(globalStep))
			if err != nil {
				return err
			}
			mse := sess.MustEval(loss, session.Feed{X: xs, y: ys})
			fmt.Fprintf(out, "step %d: MSE %v, saved %s\n", step, mse, path)
		}
	}
	sess.Close()

	latest := train.LatestCheckpoint(dir)
	fmt.Fprintln(out, "latest checkpoint:", latest)
	vars, err := train.ListVariables(latest)
	if err != nil {
		return err
	}
	for _, v := range vars {
		fmt.Fprintf(out, "  %-16s %-8s %v\n", v.Name, v.DType, v.Shape)
	}
	w, err := train.LoadVariable(latest, "weights")
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "weights in the checkpoint:", w)

	// A new session: restore instead of initializing, then go on.
	sess = session.New()
	defer sess.Close()
	if err := saver.Restore(sess, latest); err != nil {
		return err
	}
	xs, ys := batch()
	fmt.Fprintln(out, "restored at global step", sess.MustEval(globalStep, nil), "with MSE", sess.MustEval(loss, session.Feed{X: xs, y: ys}))
	return nil
}

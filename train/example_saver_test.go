package train_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

// Save a model's variables, find the latest checkpoint, list it and
// restore it in a new session (which needs no initializer).
func ExampleSaver() {
	dir, err := os.MkdirTemp("", "checkpoints")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	g := tf.NewGraph()
	restore := g.AsDefault()
	W := tf.NewVariable([][]float32{{1, 2}, {3, 4}}, tf.Name("W"))
	b := tf.NewVariable([]float32{0.5, -0.5}, tf.Name("b"))
	init := tf.GlobalVariablesInitializer()
	saver := train.NewSaver()
	restore()

	sess := session.New(session.WithGraph(g))
	sess.MustRun(init, nil)
	sess.MustRun(tf.Assign(b, []float32{7, 8}), nil)
	path, err := saver.Save(sess, filepath.Join(dir, "model.ckpt"), train.GlobalStep(1000))
	if err != nil {
		log.Fatal(err)
	}
	sess.Close()
	fmt.Println(filepath.Base(path))

	latest := train.LatestCheckpoint(dir)
	vars, err := train.ListVariables(latest)
	if err != nil {
		log.Fatal(err)
	}
	for _, v := range vars {
		fmt.Println(v.Name, v.DType, v.Shape)
	}

	sess = session.New(session.WithGraph(g))
	defer sess.Close()
	if err := saver.Restore(sess, latest); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sess.MustEval(b, nil))
	fmt.Println(sess.MustEval(W, nil))
	// Output:
	// model.ckpt-1000
	// W float32 [2,2]
	// b float32 [2]
	// [7. 8.]
	// [[1. 2.]
	//  [3. 4.]]
}

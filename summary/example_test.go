package summary_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/summary"
	"github.com/gorgoflow/gorgoflow/tf"
)

// Log a loss for TensorBoard: the graph once, then the loss at each step.
func ExampleFileWriter() {
	logdir, err := os.MkdirTemp("", "logs")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(logdir)

	g := tf.NewGraph()
	restore := g.AsDefault()
	x := placeholder.New(tf.Float32, tf.Shape{tf.None}, placeholder.Name("x"))
	mse := tf.ReduceMean(tf.Square(x))
	mseSummary := summary.Scalar("MSE", mse)
	restore()

	fileWriter, err := summary.NewFileWriter(logdir, g)
	if err != nil {
		log.Fatal(err)
	}
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	for step := 0; step < 3; step++ {
		s, err := sess.Eval(mseSummary, session.Feed{x: []float32{float32(step), 1}})
		if err != nil {
			log.Fatal(err)
		}
		if err := fileWriter.AddSummary(s, step); err != nil {
			log.Fatal(err)
		}
	}
	if err := fileWriter.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.HasPrefix(filepath.Base(fileWriter.Path()), "events.out.tfevents."))
	// Output:
	// true
}

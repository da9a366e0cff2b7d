package train

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/bundle"
	"github.com/gorgoflow/gorgoflow/internal/callsite"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// Saver saves variables to checkpoints and restores them (tf.train.Saver),
// in TensorFlow's V2 checkpoint format: prefix.index and
// prefix.data-00000-of-00001, with the variables under TF's names, so a
// TF 1.x program building the same model restores a gorgoflow checkpoint,
// and gorgoflow restores TF's. Save also writes prefix.meta (the graph and
// the SaverDef, see ExportMetaGraph) and keeps the directory's "checkpoint"
// file (the CheckpointState) up to date, as TF's Saver does.
//
// A Saver is safe for concurrent use; Saves of one Saver run one at a time.
type Saver struct {
	g         *tf.Graph
	names     []string // sorted
	vars      map[string]*tf.Variable
	maxToKeep int
	keepHours float64
	sharded   bool
	site      string
	err       error

	mu       sync.Mutex
	last     []savedCheckpoint // oldest first
	nextKeep time.Time
	now      func() time.Time // the clock (tests set it)
}

type savedCheckpoint struct {
	path string
	time time.Time
}

// NewSaver returns a saver of the default graph's variables
// (tf.train.Saver()), or of those given by VarList (saved under their own
// names) or VarMap (saved under the map's keys). Build it after the
// optimizer, whose slots (W/Adam, beta1_power, ...) are variables too.
//
// Options: VarList or VarMap (var_list), MaxToKeep (default 5),
// KeepCheckpointEveryNHours (default 10000), Sharded (default false).
// An error (a bad option, two variables under one name, a variable that
// failed to build) is returned by Save and Restore.
func NewSaver(opts ...Option) *Saver {
	s := &Saver{maxToKeep: 5, keepHours: 10000, vars: map[string]*tf.Variable{}, now: time.Now}
	s.nextKeep = s.now()
	s.site = callsite.User()
	o, err := parse("train.NewSaver", opts, "var_list", "max_to_keep", "keep_checkpoint_every_n_hours", "sharded")
	if err != nil {
		s.err = errors.Wrapf(err, "at %s", s.site)
		return s
	}
	if o.given["max_to_keep"] {
		s.maxToKeep = o.maxToKeep
	}
	if o.given["keep_checkpoint_every_n_hours"] {
		if !(o.keepHours > 0) {
			s.err = errors.Errorf("train.NewSaver at %s: keep_checkpoint_every_n_hours is %v; it must be positive", s.site, o.keepHours)
			return s
		}
		s.keepHours = o.keepHours
	}
	s.sharded = o.sharded
	s.nextKeep = s.nextKeep.Add(time.Duration(s.keepHours * float64(time.Hour)))
	switch {
	case o.varMap != nil:
		for name, v := range o.varMap {
			if err := s.add(name, v); err != nil {
				s.err = err
				return s
			}
		}
	case o.varList != nil:
		for _, v := range o.varList {
			if v == nil {
				s.err = errors.Errorf("train.NewSaver at %s: var_list holds a nil variable", s.site)
				return s
			}
			if err := s.add(v.Name(), v); err != nil {
				s.err = err
				return s
			}
		}
	default:
		for _, v := range tf.GlobalVariables() {
			if err := s.add(v.Name(), v); err != nil {
				s.err = err
				return s
			}
		}
	}
	if len(s.vars) == 0 {
		s.err = errors.Errorf("train.NewSaver at %s: No variables to save", s.site)
		return s
	}
	for name := range s.vars {
		s.names = append(s.names, name)
	}
	sort.Strings(s.names)
	return s
}

func (s *Saver) add(name string, v *tf.Variable) error {
	if v == nil {
		return errors.Errorf("train.NewSaver at %s: variable %q is nil", s.site, name)
	}
	if v.Err() != nil {
		return errors.Wrapf(v.Err(), "train.NewSaver at %s: variable %q", s.site, name)
	}
	if name == "" {
		return errors.Errorf("train.NewSaver at %s: a variable (%s) is given the empty name", s.site, v.Name())
	}
	if old, ok := s.vars[name]; ok {
		return errors.Errorf("train.NewSaver at %s: At least two variables have the same name: %s (%s and %s)", s.site, name, old, v)
	}
	if s.g == nil {
		s.g = v.Graph()
	} else if v.Graph() != s.g {
		return errors.Errorf("train.NewSaver at %s: variable %q is in another graph than the others", s.site, name)
	}
	s.vars[name] = v
	return nil
}

// VarMap gives a saver the variables to save under the names they take in
// the checkpoint (var_list={"name": variable}), e.g. to restore a
// checkpoint written by a model whose variables had other names.
func VarMap(vars map[string]*tf.Variable) Option {
	return Option{"var_list", func(o *options) {
		o.varMap = make(map[string]*tf.Variable, len(vars))
		for k, v := range vars {
			o.varMap[k] = v
		}
		o.varList = nil
	}}
}

// MaxToKeep sets how many recent checkpoints a saver keeps (max_to_keep=,
// default 5); older ones are deleted as new ones are saved. With 0, as in
// TF, none is deleted and the checkpoint state file names only the latest.
func MaxToKeep(n int) Option { return Option{"max_to_keep", func(o *options) { o.maxToKeep = n }} }

// KeepCheckpointEveryNHours makes a saver keep, besides the last
// MaxToKeep, one checkpoint every h hours of training
// (keep_checkpoint_every_n_hours=, default 10000).
func KeepCheckpointEveryNHours(h float64) Option {
	return Option{"keep_checkpoint_every_n_hours", func(o *options) { o.keepHours = h }}
}

// Sharded is TF's sharded= (default false): with true, TF saves one shard
// per device and merges their indexes. gorgoflow runs on one device, so the
// files are the same either way (one shard, data-00000-of-00001), as TF's
// on one CPU; the SaverDef records the flag.
func Sharded(b bool) Option { return Option{"sharded", func(o *options) { o.sharded = b }} }

// WriteMetaGraph sets whether Save writes prefix.meta (write_meta_graph=,
// default true).
func WriteMetaGraph(b bool) Option {
	return Option{"write_meta_graph", func(o *options) { o.metaGraph = b }}
}

// LatestFilename names the checkpoint state file Save updates and
// LatestCheckpoint and GetCheckpointState read (latest_filename=, default
// "checkpoint").
func LatestFilename(name string) Option {
	return Option{"latest_filename", func(o *options) { o.latestName = name }}
}

// WriteState sets whether Save updates the checkpoint state file and
// deletes checkpoints beyond MaxToKeep (write_state=, default true).
func WriteState(b bool) Option { return Option{"write_state", func(o *options) { o.writeState = b }} }

// Err returns the error that kept s from being built, or nil.
func (s *Saver) Err() error {
	if s == nil {
		return errNilSaver
	}
	return s.err
}

var errNilSaver = errors.New("train: the saver is nil (use train.NewSaver)")

// Variables returns the names under which s saves its variables, sorted.
func (s *Saver) Variables() []string {
	if s == nil {
		return nil
	}
	return append([]string(nil), s.names...)
}

// Save writes the values the variables have in sess to a checkpoint and
// returns its prefix (saver.save(sess, save_path)): savePath, or
// savePath-<step> with GlobalStep. The directory must exist.
//
// Options: GlobalStep (an int, int64, *tf.Variable or *tf.Tensor), WriteMetaGraph
// (true), LatestFilename ("checkpoint"), WriteState (true).
//
// The files are written under temporary names, synced and renamed into
// place, and the checkpoint state file is updated last (itself by a synced
// rename), so a process killed during Save leaves the previous checkpoint
// restorable. (Saving twice to the same prefix replaces its two files by
// two renames; a crash between them leaves that prefix inconsistent, as in
// TF; use GlobalStep to keep prefixes distinct.)
func (s *Saver) Save(sess *session.Session, savePath string, opts ...Option) (string, error) {
	if err := s.Err(); err != nil {
		return "", err
	}
	o, err := parse("Saver.Save", opts, "global_step", "write_meta_graph", "latest_filename", "write_state")
	if err != nil {
		return "", err
	}
	if !o.given["write_meta_graph"] {
		o.metaGraph = true
	}
	if !o.given["write_state"] {
		o.writeState = true
	}
	if o.latestName == "" {
		o.latestName = "checkpoint"
	}
	if sess == nil {
		return "", errors.New("Saver.Save: session is nil")
	}
	if sess.Graph() != s.g {
		return "", errors.New("Saver.Save: the session runs another graph than the saver's variables'")
	}
	if savePath == "" {
		return "", errors.New("Saver.Save: save_path is empty; give a checkpoint prefix such as \"./my_model.ckpt\"")
	}
	prefix := savePath
	if o.step != nil {
		step, err := stepNumber(sess, o.step)
		if err != nil {
			return "", err
		}
		prefix = savePath + "-" + strconv.FormatInt(step, 10)
	}
	dir := filepath.Dir(prefix)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return "", errors.Errorf("Saver.Save: Parent directory of %s doesn't exist, can't save.", savePath)
	}
	if o.writeState && filepath.Clean(prefix) == filepath.Clean(filepath.Join(dir, o.latestName)) {
		return "", errors.Errorf("Saver.Save: Save path '%s' conflicts with path used for checkpoint state.  Please use a different save path.", prefix)
	}
	tensors, err := s.values(sess)
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := bundle.Write(prefix, tensors); err != nil {
		return "", errors.Wrapf(err, "Saver.Save: writing checkpoint %s", prefix)
	}
	if o.metaGraph {
		mg, err := s.metaGraph()
		if err != nil {
			return "", errors.Wrap(err, "Saver.Save")
		}
		if err := bundle.WriteFileAtomic(prefix+".meta", mg); err != nil {
			return "", errors.Wrapf(err, "Saver.Save: writing %s.meta", prefix)
		}
	}
	if o.writeState {
		old := s.record(prefix)
		if err := writeState(dir, o.latestName, prefix, s.last); err != nil {
			return "", errors.Wrap(err, "Saver.Save")
		}
		// Only once the state file no longer names them.
		for _, p := range old {
			removeCheckpoint(p)
		}
	}
	return prefix, nil
}

// stepNumber returns GlobalStep's value.
func stepNumber(sess *session.Session, step any) (int64, error) {
	switch x := step.(type) {
	case int:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case int64:
		return x, nil
	case *tf.Variable, *tf.Tensor:
		if x == (*tf.Variable)(nil) || x == (*tf.Tensor)(nil) {
			return 0, errors.Errorf("Saver.Save: global_step is a nil %T", x)
		}
		a, err := sess.Eval(x.(tf.Fetch), nil)
		if err != nil {
			return 0, errors.Wrap(err, "Saver.Save: reading global_step")
		}
		f := a.Float64s()
		if !a.DType().IsNumeric() || len(f) != 1 || f[0] != math.Trunc(f[0]) {
			return 0, errors.Errorf("Saver.Save: global_step is %v; it must be an integer scalar", a)
		}
		return int64(f[0]), nil
	}
	return 0, errors.Errorf("Saver.Save: global_step is a %T; give an int, an int64, a *tf.Variable or a *tf.Tensor", step)
}

// values reads every variable of s from sess, in name order.
func (s *Saver) values(sess *session.Session) ([]bundle.Tensor, error) {
	fetches := make([]tf.Fetch, len(s.names))
	for i, n := range s.names {
		fetches[i] = s.vars[n]
	}
	vals, err := sess.Run(fetches, nil)
	if err != nil {
		return nil, errors.Wrap(err, "Saver.Save")
	}
	out := make([]bundle.Tensor, len(s.names))
	for i, n := range s.names {
		t, err := encodeTensor(n, vals[i])
		if err != nil {
			return nil, errors.Wrap(err, "Saver.Save")
		}
		out[i] = t
	}
	return out, nil
}

// record adds prefix to the list of recent checkpoints, as TF's
// _RecordLastCheckpoint (an earlier save to the same prefix moves to the
// end), and returns the checkpoints to delete: those beyond MaxToKeep,
// except one every KeepCheckpointEveryNHours, as TF's
// _MaybeDeleteOldCheckpoints.
func (s *Saver) record(prefix string) (remove []string) {
	if s.maxToKeep <= 0 {
		// As TF: nothing is recorded or deleted; the state file names only
		// the latest checkpoint.
		return nil
	}
	for i, c := range s.last {
		if c.path == prefix {
			s.last = append(s.last[:i], s.last[i+1:]...)
			break
		}
	}
	s.last = append(s.last, savedCheckpoint{prefix, s.now()})
	for len(s.last) > s.maxToKeep {
		c := s.last[0]
		s.last = s.last[1:]
		if c.time.After(s.nextKeep) {
			s.nextKeep = s.nextKeep.Add(time.Duration(s.keepHours * float64(time.Hour)))
			continue
		}
		remove = append(remove, c.path)
	}
	return remove
}

func removeCheckpoint(prefix string) {
	os.Remove(prefix + ".meta")
	os.Remove(bundle.IndexFile(prefix))
	if m, _ := filepath.Glob(globQuote(prefix) + ".data-?????-of-?????"); m != nil {
		for _, f := range m {
			os.Remove(f)
		}
	}
}

func globQuote(s string) string {
	r := strings.NewReplacer(`*`, `\*`, `?`, `\?`, `[`, `\[`, `\`, `\\`)
	return r.Replace(s)
}

// LastCheckpoints returns the prefixes of the checkpoints s saved and has
// not deleted, oldest first (saver.last_checkpoints).
func (s *Saver) LastCheckpoints() []string {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, len(s.last))
	for i, c := range s.last {
		out[i] = c.path
	}
	return out
}

// Restore sets the saver's variables in sess to their values in the
// checkpoint prefix (saver.restore(sess, save_path)); they need no
// initializer. Every variable is read and checked (present, same dtype and
// shape, checksum) before any is set: on error the session is unchanged.
func (s *Saver) Restore(sess *session.Session, prefix string) error {
	if err := s.Err(); err != nil {
		return err
	}
	if sess == nil {
		return errors.New("Saver.Restore: session is nil")
	}
	if sess.Graph() != s.g {
		return errors.New("Saver.Restore: the session runs another graph than the saver's variables'")
	}
	if prefix == "" {
		return errors.New("Saver.Restore: the checkpoint path is empty (did LatestCheckpoint find no checkpoint?)")
	}
	r, err := openCheckpoint(prefix)
	if err != nil {
		return errors.Wrap(err, "Saver.Restore")
	}
	vals := make([]*tf.Array, len(s.names))
	for i, name := range s.names {
		v := s.vars[name]
		a, err := readTensor(r, name, v.DType(), v.Shape())
		if err != nil {
			return errors.Wrapf(err, "Saver.Restore: variable %q", v.Name())
		}
		vals[i] = a
	}
	for i, name := range s.names {
		if err := s.vars[name].Load(vals[i].Dense, sess); err != nil {
			return errors.Wrapf(err, "Saver.Restore: variable %q", s.vars[name].Name())
		}
	}
	return nil
}

// openCheckpoint opens a checkpoint prefix, saying clearly when the prefix
// names no checkpoint.
func openCheckpoint(prefix string) (*bundle.Reader, error) {
	if _, err := os.Stat(bundle.IndexFile(prefix)); err != nil {
		if st, derr := os.Stat(prefix); derr == nil && st.IsDir() {
			return nil, errors.Errorf("%s is a directory, not a checkpoint prefix; use train.LatestCheckpoint(%q)", prefix, prefix)
		}
		return nil, errors.Errorf("the checkpoint %s does not exist (no file %s)", prefix, bundle.IndexFile(prefix))
	}
	return bundle.Open(prefix)
}

// String describes s.
func (s *Saver) String() string {
	if s == nil {
		return "<nil train.Saver>"
	}
	if s.err != nil {
		return "<failed train.Saver: " + s.err.Error() + ">"
	}
	return fmt.Sprintf("<train.Saver of %d variables>", len(s.names))
}

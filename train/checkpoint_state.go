package train

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/bundle"
	"github.com/gorgoflow/gorgoflow/internal/pb"
)

// CheckpointState is the content of a directory's "checkpoint" file (TF's
// CheckpointState proto, written in the text format): the latest
// checkpoint's prefix and those of all kept checkpoints, oldest first.
// GetCheckpointState returns relative paths joined to the directory, as TF.
type CheckpointState struct {
	ModelCheckpointPath          string
	AllModelCheckpointPaths      []string
	AllModelCheckpointTimestamps []float64 // seconds since the Epoch
	LastPreservedTimestamp       float64
}

// Text returns s in the protobuf text format, as TF writes the file.
func (s *CheckpointState) Text() string {
	m := pb.New().String(1, "model_checkpoint_path", s.ModelCheckpointPath)
	for _, p := range s.AllModelCheckpointPaths {
		m.StringAlways(2, "all_model_checkpoint_paths", p)
	}
	for _, t := range s.AllModelCheckpointTimestamps {
		m.DoubleAlways(3, "all_model_checkpoint_timestamps", t)
	}
	m.Double(4, "last_preserved_timestamp", s.LastPreservedTimestamp)
	return m.Text()
}

// writeState writes dir/latestName for the checkpoints last (the newest is
// prefix), with paths relative to dir when both are relative, as TF's
// generate_checkpoint_state_proto.
func writeState(dir, latestName, prefix string, last []savedCheckpoint) error {
	rel := func(p string) string {
		if filepath.IsAbs(dir) || filepath.IsAbs(p) {
			return p
		}
		r, err := filepath.Rel(dir, p)
		if err != nil {
			return p
		}
		return r
	}
	// TF 1.x's Saver writes no timestamps (CheckpointManager does).
	st := &CheckpointState{ModelCheckpointPath: rel(prefix)}
	for _, c := range last {
		st.AllModelCheckpointPaths = append(st.AllModelCheckpointPaths, rel(c.path))
	}
	if n := len(st.AllModelCheckpointPaths); n == 0 || st.AllModelCheckpointPaths[n-1] != st.ModelCheckpointPath {
		st.AllModelCheckpointPaths = append(st.AllModelCheckpointPaths, st.ModelCheckpointPath)
	}
	name := filepath.Join(dir, latestName)
	if err := bundle.WriteFileAtomic(name, []byte(st.Text())); err != nil {
		return errors.Wrapf(err, "writing the checkpoint state %s", name)
	}
	return nil
}

// GetCheckpointState reads the "checkpoint" file of dir
// (tf.train.get_checkpoint_state). It returns nil and no error when the
// file does not exist. Options: LatestFilename ("checkpoint"), the state
// file's name, as a Saver given the same option writes it.
func GetCheckpointState(dir string, opts ...Option) (*CheckpointState, error) {
	o, err := parse("train.GetCheckpointState", opts, "latest_filename")
	if err != nil {
		return nil, err
	}
	latest := "checkpoint"
	if o.given["latest_filename"] {
		if o.latestName == "" || strings.ContainsAny(o.latestName, `/\`) {
			return nil, errors.Errorf("train.GetCheckpointState: latest_filename %q is not a file name", o.latestName)
		}
		latest = o.latestName
	}
	name := filepath.Join(dir, latest)
	b, err := os.ReadFile(name)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, errors.Wrap(err, "train.GetCheckpointState")
	}
	st, err := parseState(string(b))
	if err != nil {
		return nil, errors.Wrapf(err, "train.GetCheckpointState: %s", name)
	}
	if st.ModelCheckpointPath == "" {
		return nil, errors.Errorf("train.GetCheckpointState: Invalid checkpoint state loaded from %s (no model_checkpoint_path)", dir)
	}
	join := func(p string) string {
		if filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	st.ModelCheckpointPath = join(st.ModelCheckpointPath)
	for i, p := range st.AllModelCheckpointPaths {
		st.AllModelCheckpointPaths[i] = join(p)
	}
	return st, nil
}

// LatestCheckpoint returns the prefix of the latest checkpoint saved in
// dir (tf.train.latest_checkpoint), or "" when there is none: no
// "checkpoint" file, an unreadable one, or one naming a checkpoint whose
// index file is missing. Options: LatestFilename ("checkpoint"), the
// state file's name (latest_filename=), as a Saver given the same option
// writes it; an invalid option gives "".
func LatestCheckpoint(dir string, opts ...Option) string {
	st, err := GetCheckpointState(dir, opts...)
	if err != nil || st == nil {
		return ""
	}
	if _, err := os.Stat(bundle.IndexFile(st.ModelCheckpointPath)); err != nil {
		return ""
	}
	return st.ModelCheckpointPath
}

// parseState reads a CheckpointState in the text format: one
// "field: value" a line (what TF writes; comments and blank lines
// allowed).
func parseState(text string) (*CheckpointState, error) {
	st := &CheckpointState{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return nil, errors.Errorf("line %d: %q is not \"field: value\"", i+1, line)
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch k {
		case "model_checkpoint_path", "all_model_checkpoint_paths":
			s, err := unquote(v)
			if err != nil {
				return nil, errors.Wrapf(err, "line %d", i+1)
			}
			if k == "model_checkpoint_path" {
				st.ModelCheckpointPath = s
			} else {
				st.AllModelCheckpointPaths = append(st.AllModelCheckpointPaths, s)
			}
		case "all_model_checkpoint_timestamps", "last_preserved_timestamp":
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return nil, errors.Errorf("line %d: %s is not a number: %q", i+1, k, v)
			}
			if k == "last_preserved_timestamp" {
				st.LastPreservedTimestamp = f
			} else {
				st.AllModelCheckpointTimestamps = append(st.AllModelCheckpointTimestamps, f)
			}
		default:
			return nil, errors.Errorf("line %d: unknown field %q", i+1, k)
		}
	}
	return st, nil
}

// unquote reads a text-format string: double or single quotes, C escapes
// (\n \t \r \\ \" \' and octal \ooo, hex \xhh).
func unquote(v string) (string, error) {
	if len(v) < 2 || (v[0] != '"' && v[0] != '\'') || v[len(v)-1] != v[0] {
		return "", errors.Errorf("%s is not a quoted string", v)
	}
	q := v[0]
	v = v[1 : len(v)-1]
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == q {
			return "", errors.Errorf("unescaped quote in %q", v)
		}
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(v) {
			return "", errors.Errorf("string ends in a backslash: %q", v)
		}
		switch c = v[i]; c {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case '\\', '"', '\'':
			b.WriteByte(c)
		case 'x':
			j := i + 1
			for j < len(v) && j < i+3 && strings.IndexByte("0123456789abcdefABCDEF", v[j]) >= 0 {
				j++
			}
			n, err := strconv.ParseUint(v[i+1:j], 16, 8)
			if err != nil {
				return "", errors.Errorf("bad escape in %q", v)
			}
			b.WriteByte(byte(n))
			i = j - 1
		default:
			j := i
			for j < len(v) && j < i+3 && v[j] >= '0' && v[j] <= '7' {
				j++
			}
			if j == i {
				return "", errors.Errorf("bad escape \\%c in %q", c, v)
			}
			n, err := strconv.ParseUint(v[i:j], 8, 8)
			if err != nil {
				return "", errors.Errorf("bad escape in %q", v)
			}
			b.WriteByte(byte(n))
			i = j - 1
		}
	}
	return b.String(), nil
}

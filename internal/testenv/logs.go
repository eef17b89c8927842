package testenv

import (
	"bytes"
	"io"
	"sync"

	"go.uber.org/zap/zapcore"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
)

// SyncBuffer is a bytes.Buffer safe for concurrent writes and reads: a
// process's or the manager's output, read by the test while it is written.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *SyncBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// String is everything logged so far.
func (l *SyncBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// CaptureLogs makes controller-runtime's logger (and so the manager's, the
// reconcilers' and the Partner Center client's) write to w and to the
// returned buffer, V(1) included: the client's per-call lines are logged at
// V(1). A test reads the buffer to check that no secret ever reaches a log
// line. Call it before Start.
func CaptureLogs(w io.Writer) *SyncBuffer {
	logs := &SyncBuffer{}
	ctrl.SetLogger(zap.New(zap.WriteTo(io.MultiWriter(w, logs)), zap.UseDevMode(true), zap.Level(zapcore.Level(-1))))
	return logs
}

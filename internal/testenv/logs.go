package testenv

import (
	"bytes"
	"io"
	"sync"

	"go.uber.org/zap/zapcore"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
)

// LogBuffer keeps every line the manager logs, so a test can check that no
// secret ever reaches a log line. Safe for concurrent use.
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// String is everything logged so far.
func (l *LogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// CaptureLogs makes controller-runtime's logger (and so the manager's, the
// reconcilers' and the Partner Center client's) write to w and to the
// returned buffer, V(1) included: the client's per-call lines are logged at
// V(1). Call it before Start.
func CaptureLogs(w io.Writer) *LogBuffer {
	logs := &LogBuffer{}
	ctrl.SetLogger(zap.New(zap.WriteTo(io.MultiWriter(w, logs)), zap.UseDevMode(true), zap.Level(zapcore.Level(-1))))
	return logs
}

package testenv

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"io"
	"regexp"
	"strings"
	"sync"

	"go.uber.org/zap/zapcore"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	"github.com/cspforge/partnercenter-operator/internal/logging"
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
// reconcilers', client-go's and the Partner Center client's) write to w and
// to the returned buffer, built as the manager builds it at the highest
// --zap-log-level. A test reads the buffer (ContainsSecret) to check that no
// secret ever reaches a log line. Call it before Start.
func CaptureLogs(w io.Writer) *SyncBuffer {
	logs := &SyncBuffer{}
	ctrl.SetLogger(logging.New(zap.WriteTo(io.MultiWriter(w, logs)), zap.UseDevMode(true), zap.Level(zapcore.Level(-127))))
	return logs
}

// hexDumpLine is one line of encoding/hex's Dump (how client-go logs a
// protobuf body): offset, then up to 16 bytes in hex.
var hexDumpLine = regexp.MustCompile(`[0-9a-f]{8}((?:  ?[0-9a-f]{2}){1,16})`)

// ContainsSecret tells whether log holds secret as text, base64 (a Secret's
// data in JSON) or within the hex dumps of protobuf bodies.
func ContainsSecret(log, secret string) bool {
	var dumped []byte
	for _, m := range hexDumpLine.FindAllStringSubmatch(log, -1) {
		b, err := hex.DecodeString(strings.ReplaceAll(m[1], " ", ""))
		if err == nil {
			dumped = append(dumped, b...)
		}
	}
	return strings.Contains(log, secret) || strings.Contains(log, base64.StdEncoding.EncodeToString([]byte(secret))) ||
		bytes.Contains(dumped, []byte(secret))
}

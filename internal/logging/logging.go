// Package logging builds the manager's logger.
package logging

import (
	"github.com/go-logr/logr"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
)

// MaxVerbosity is the highest V level that reaches the log, whatever
// --zap-log-level asks for. client-go logs every request and response body
// at V(8) and above through the logger of the request's context, which is
// the manager's: Secrets included, their protobuf as a hex dump. The
// operator's own lines are at V(2) and below.
const MaxVerbosity = 7

// New is controller-runtime's zap logger with opts, capped at MaxVerbosity.
func New(opts ...zap.Opts) logr.Logger {
	return logr.New(capped{zap.New(opts...).GetSink()})
}

// capped drops the lines above MaxVerbosity.
type capped struct{ logr.LogSink }

func (c capped) Init(info logr.RuntimeInfo) {
	info.CallDepth++ // this wrapper's frame
	c.LogSink.Init(info)
}

func (c capped) Enabled(level int) bool {
	return level <= MaxVerbosity && c.LogSink.Enabled(level)
}

func (c capped) Info(level int, msg string, keysAndValues ...any) {
	if level <= MaxVerbosity {
		c.LogSink.Info(level, msg, keysAndValues...)
	}
}

func (c capped) WithValues(keysAndValues ...any) logr.LogSink {
	return capped{c.LogSink.WithValues(keysAndValues...)}
}

func (c capped) WithName(name string) logr.LogSink { return capped{c.LogSink.WithName(name)} }

func (c capped) WithCallDepth(depth int) logr.LogSink {
	if s, ok := c.LogSink.(logr.CallDepthLogSink); ok {
		return capped{s.WithCallDepth(depth)}
	}
	return c
}

package customer

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// halt is a phase's verdict that the Customer cannot go further now: why
// (the outcome), since when it has been waiting (slow polls grow with it),
// and an explicit delay when Partner Center named one (Retry-After).
type halt struct {
	outcome status.Outcome
	since   time.Time
	after   time.Duration
}

// waitFor builds a halt for reason with a formatted message.
func waitFor(reason status.Reason, since time.Time, format string, args ...any) *halt {
	return &halt{outcome: status.Outcome{Reason: reason, Message: fmt.Sprintf(format, args...)}, since: since}
}

// haltForError turns a Partner Center error into a halt: throttling waits for
// Retry-After, client errors are shown and retried slowly, anything else
// (5xx, network) is retried fast. Error texts never carry secrets.
func haltForError(err error) *halt {
	if after, ok := partnercenter.IsThrottled(err); ok {
		return &halt{outcome: status.Outcome{Reason: status.ReasonThrottled, Message: err.Error()}, after: after}
	}
	if partnercenter.IsAppUserRequired(err) {
		return waitFor(ReasonAppUserCredentialRequired, time.Time{}, "%s", err.Error())
	}
	if isClientError(err) {
		return waitFor(ReasonPartnerCenterRefused, time.Time{}, "%s", err.Error())
	}
	return waitFor(status.ReasonPartnerCenterError, time.Time{}, "%s", err.Error())
}

// isClientError reports a Partner Center 4xx other than timeout/throttling:
// an answer about the request, not a transport failure.
func isClientError(err error) bool {
	var e *partnercenter.Error
	if !errors.As(err, &e) {
		return false
	}
	return e.StatusCode >= 400 && e.StatusCode < 500 && e.StatusCode != http.StatusRequestTimeout && e.StatusCode != http.StatusTooManyRequests
}

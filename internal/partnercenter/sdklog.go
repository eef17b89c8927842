package partnercenter

import (
	azlog "github.com/Azure/azure-sdk-for-go/sdk/azcore/log"
	"github.com/go-logr/logr"
)

// EnableSDKLogging routes azcore's request, response and retry log lines to logger at V(2).
// azcore redacts every header except the allow-listed MS-RequestId, MS-CorrelationId and
// Retry-After, so Authorization never reaches the log. The azcore listener is process-wide:
// call this once from main, not per client.
func EnableSDKLogging(logger logr.Logger) {
	azlog.SetEvents(azlog.EventRequest, azlog.EventResponse, azlog.EventRetryPolicy)
	azlog.SetListener(func(event azlog.Event, msg string) {
		logger.V(2).Info(msg, "event", string(event))
	})
}

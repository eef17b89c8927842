package partnercenter

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/go-logr/logr"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// auditMessage starts every audit line; docs/operations.md greps for it.
const auditMessage = "Partner Center changed"

// auditPolicy writes one Info line for every call that changes Partner
// Center (wire.Changes), once per call (after azcore's retries): the operation, the customer
// and subscription IDs of the path, the MS-RequestId, the outcome and the
// duration. It never reads a body or any other header, so no secret can reach
// the line. The line goes to the logger of the request's context when it has
// one: a reconciler's, which names the object (kind, namespace, name,
// reconcileID) the call was made for.
type auditPolicy struct {
	logger logr.Logger
}

// Do implements policy.Policy.
func (p *auditPolicy) Do(req *policy.Request) (*http.Response, error) {
	ctx := req.Raw().Context()
	op, _ := ctx.Value(operationKey{}).(string)
	if !wire.Changes(op) {
		return req.Next()
	}
	start := time.Now()
	resp, err := req.Next()
	outcome := "error"
	if err == nil {
		outcome = strconv.Itoa(resp.StatusCode)
	}
	logger, ferr := logr.FromContext(ctx)
	if ferr != nil {
		logger = p.logger
	}
	customerID, subscriptionID := pathIDs(req.Raw().URL.Path)
	logger.WithName("audit").Info(auditMessage, "operation", op, "customerID", customerID, "subscriptionID", subscriptionID,
		"requestID", req.Raw().Header.Get(wire.HeaderRequestID), "outcome", outcome, "duration", time.Since(start).String())
	return resp, err
}

// pathIDs are the IDs after "customers" and "subscriptions" in a Partner
// Center or ARM path ("" when absent).
func pathIDs(path string) (customerID, subscriptionID string) {
	segments := strings.Split(strings.Trim(path, "/"), "/")
	for i := 0; i+1 < len(segments); i++ {
		switch segments[i] {
		case "customers":
			customerID = segments[i+1]
		case "subscriptions":
			subscriptionID = segments[i+1]
		}
	}
	return customerID, subscriptionID
}

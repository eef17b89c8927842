package partnercenter

import (
	"context"
	"net/http"
	"net/url"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// SetCostManagementPolicy sets the ARM customer policy viewCharges (ViewChargesAllowed or
// ViewChargesNotAllowed) so the customer can see its Azure charges (rule C11). It is an ARM call
// (MPA billing accounts only) and uses the ARM credential.
func (c *Client) SetCostManagementPolicy(ctx context.Context, requestID, billingAccountName, customerID, viewCharges string) (*wire.CostManagementPolicy, error) {
	var out wire.CostManagementPolicy
	_, err := c.do(ctx, call{
		op: wire.OpSetCostManagementPolicy, method: http.MethodPut, arm: true,
		path:      "/providers/Microsoft.Billing/billingAccounts/" + escape(billingAccountName) + "/customers/" + escape(customerID) + "/policies/default",
		query:     url.Values{"api-version": {wire.CostManagementAPIVersion}},
		requestID: requestID,
		body:      wire.CostManagementPolicy{Properties: wire.CostManagementPolicyProperties{ViewCharges: viewCharges}},
		ok:        []int{http.StatusOK, http.StatusCreated},
	}, &out)
	return valueOrNil(&out, err)
}

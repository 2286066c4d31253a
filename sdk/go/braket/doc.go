// Read Amazon Braket hybrid jobs (GetJob) and gate deployments on their completion.
package braket

{{/*
Names and labels.
*/}}
{{- define "dovetail.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "dovetail.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "dovetail.selectorLabels" -}}
app.kubernetes.io/name: {{ include "dovetail.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "dovetail.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "dovetail.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: dovetail
{{- with .Values.additionalLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "dovetail.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "dovetail.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "dovetail.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/*
The lease the controller elects its leader with; the controller uses this fixed name, the Role
grants access to it by name only.
*/}}
{{- define "dovetail.leaseName" -}}
dovetail-leader-election
{{- end -}}

{{/*
Cross-field checks the schema cannot express, with messages that say what to change.
*/}}
{{- define "dovetail.validate" -}}
{{- if and (gt (int .Values.replicas) 1) (not .Values.leaderElection.enabled) -}}
{{- fail (printf "replicas=%d needs leaderElection.enabled=true: without a leader every replica would reconcile and they would launch duplicate nodes" (int .Values.replicas)) -}}
{{- end -}}
{{- $names := dict -}}
{{- range .Values.extraPlugins -}}
{{- if hasKey $names .name -}}
{{- fail (printf "extraPlugins: the name %q is used twice; each entry needs its own name" .name) -}}
{{- end -}}
{{- $_ := set $names .name true -}}
{{- end -}}
{{- $providerSettings := index .Values.settings .Values.provider | default dict -}}
{{- range $key, $value := $providerSettings -}}
{{- if and (regexMatch "(?i)(secretaccesskey|accesskeyid|sessiontoken|clientsecret|password|privatekey|apikey|credentialsjson|^token$)" $key) (ne (toString $value) "") -}}
{{- fail (printf "settings.%s.%s: static credentials are not rendered into the Deployment; put them in a Secret whose keys are environment variable names (e.g. %s) and set credentials.existingSecret" $.Values.provider $key (include "dovetail.providerEnvName" $key)) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
A provider setting key as an environment variable name: camelCase -> UPPER_SNAKE with acronyms
kept whole (subscriptionID -> SUBSCRIPTION_ID, clusterCABundle -> CLUSTER_CA_BUNDLE,
reservedENIs -> RESERVED_ENIS), prefixed with DOVETAIL_PROVIDER_.
*/}}
{{- define "dovetail.providerEnvName" -}}
{{- $key := regexReplaceAll "([A-Z]+)([A-Z][a-z]{2,})" . "${1}_${2}" -}}
{{- $key = regexReplaceAll "([a-z0-9])([A-Z])" $key "${1}_${2}" -}}
{{- printf "DOVETAIL_PROVIDER_%s" (upper $key) -}}
{{- end -}}

{{/*
FEATURE_GATES value: featureGates.nodeRepair=false -> "NodeRepair=false", comma-separated in key
order (Karpenter's format).
*/}}
{{- define "dovetail.featureGates" -}}
{{- $gates := list -}}
{{- range $k, $v := .Values.settings.featureGates -}}
{{- $gates = append $gates (printf "%s%s=%v" (upper (substr 0 1 $k)) (substr 1 (len $k) $k) $v) -}}
{{- end -}}
{{- join "," $gates -}}
{{- end -}}

{{/*
The --plugins-dir arguments: the official plugins in the image, the emptyDir the init containers
fill (only when an image entry exists), and one directory per plugin volume.
*/}}
{{- define "dovetail.pluginDirs" -}}
{{- $dirs := list "/opt/dovetail/plugins" -}}
{{- $images := false -}}
{{- range .Values.extraPlugins -}}
{{- if .image -}}{{- $images = true -}}{{- end -}}
{{- end -}}
{{- if $images -}}{{- $dirs = append $dirs "/opt/dovetail/plugins-extra" -}}{{- end -}}
{{- range .Values.extraPlugins -}}
{{- if .volume -}}{{- $dirs = append $dirs (printf "/opt/dovetail/plugins-volumes/%s" .name) -}}{{- end -}}
{{- end -}}
{{- toJson $dirs -}}
{{- end -}}

{{- define "dovetail.hasImagePlugins" -}}
{{- range .Values.extraPlugins -}}{{- if .image -}}true{{- end -}}{{- end -}}
{{- end -}}

{{/*
True when the ServiceAccount is bound to an Azure workload identity: such pods must carry the
label azure.workload.identity/use=true for the identity webhook to inject the token.
*/}}
{{- define "dovetail.azureWorkloadIdentity" -}}
{{- if and (eq .Values.provider "azure") (hasKey (.Values.serviceAccount.annotations | default dict) "azure.workload.identity/client-id") -}}
true
{{- end -}}
{{- end -}}

/* CVE-2019-16884, the container's part: the same as CVE-2023-28642's (see the shared file). */
#include "label-bypass-attack.c"

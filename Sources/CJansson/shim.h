#include <jansson.h>
#include <stdlib.h>

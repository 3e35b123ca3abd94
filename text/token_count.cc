#include "text/token_count.h"

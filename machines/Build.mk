# One object per machine entry. Link order is the order of the machine table
# within one priority band (see include/kernel/machine.h): keep it stable.
